package dev.condense.plan;

import dev.condense.data.Dataset;
import dev.condense.engine.Constraints;
import dev.condense.engine.Engine;
import dev.condense.engine.LrSchedule;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.TrainConfig;
import dev.condense.graph.Model;
import dev.condense.graph.Tensor;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.Slice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * First-order Taylor importance (Molchanov et al. 2019, Eq. 3 and §3.2 for a group of
 * parameters; 2017 §2.2 on activations): the loss changes by about Σ g·w when a channel's weights
 * are zeroed, so channel j scores |Σ_{w ∈ j} g·w| over every weight slice the channel owns, averaged
 * over the calibration batches (each batch's gradient at the same weights).
 *
 * <p>The gradient comes from the engine's training step, the one gradient a {@link Session}
 * exposes: from the model's weights, one SGD step on one batch with no momentum and no weight
 * decay gives w' = w − η·g, so g = (w − w')/η; η is small enough that the step is local and large
 * enough that float32 keeps w − w' (an error of at most half an ulp of w, 6e-8·|w|/η).
 * Running statistics, masks and shapes do not train, so they get g = 0.
 */
final class TaylorImportance implements ChannelImportance {
  /** The probing step's learning rate. */
  static final double STEP = 1e-2;

  private final Engine engine;
  private final Dataset samples;
  private final int batch;
  private final long seed;
  private final Progress progress;

  TaylorImportance(Engine engine, Dataset samples, int batch, long seed, Progress progress) {
    this.engine = engine;
    this.samples = samples;
    this.batch = batch;
    this.seed = seed;
    this.progress = progress;
  }

  @Override
  public Map<ChannelGroup, double[]> score(Model model, List<ChannelGroup> groups) {
    Map<ChannelGroup, double[]> out = new LinkedHashMap<>();
    groups.forEach(g -> out.put(g, new double[g.size()]));
    int batches = (samples.size() + batch - 1) / batch;
    progress.start("Taylor importance (gradient of each calibration batch)", batches);
    try (Session s = engine.open(model)) {
      for (int b = 0; b < batches; b++) {
        Dataset part = samples.slice(b * batch, Math.min(samples.size(), (b + 1) * batch));
        s.setWeights(model);
        s.train(part, new TrainConfig(1, part.size(), STEP, 0, 0, new LrSchedule.Constant(), seed + b), Constraints.NONE,
            null, Progress.NONE);
        Model after = s.export();
        for (ChannelGroup g : groups) {
          double[] gw = new double[g.size()];
          for (Slice sl : g.slices()) {
            Tensor w = model.graph().initializer(sl.tensor());
            Tensor w2 = after.graph().initializer(sl.tensor());
            if (w == null || w2 == null) {
              continue;
            }
            float[] v = w.floats();
            float[] v2 = w2.floats();
            for (int j = 0; j < g.size(); j++) {
              int c = j;
              sl.forEachIndex(w.shape(), j, i -> gw[c] += (v[i] - (double) v2[i]) / STEP * v[i]);
            }
          }
          double[] sum = out.get(g);
          for (int j = 0; j < gw.length; j++) {
            sum[j] += Math.abs(gw[j]) / batches;
          }
        }
        progress.update(b + 1, "batch " + (b + 1) + " of " + batches);
      }
    }
    progress.finish(batches + " batches");
    return out;
  }
}

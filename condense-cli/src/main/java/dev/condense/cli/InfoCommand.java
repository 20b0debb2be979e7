package dev.condense.cli;

import dev.condense.graph.Model;
import dev.condense.report.LayerStats;
import dev.condense.report.ModelSummary;
import dev.condense.report.TextTable;
import dev.condense.structure.ChannelGroup;
import dev.condense.structure.ChannelGroups;
import dev.condense.zoo.ModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.condense.ops.OpTable;
import dev.condense.ops.TrainableTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code condense info}: per-layer parameters, non-zeros, density, MACs and bytes of a model. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Show a model's layers: op, output shape, parameters, non-zeros, density, MACs, bytes; and its channel groups, prunable or pinned with the reason.")
final class InfoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A zoo name or an ONNX file.")
  String model;

  @Option(names = "--groups", description = "List every channel group: its size, the layers in it, and each reason that pins it.")
  boolean listGroups;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Output o = new Output(spec.commandLine(), common);
    Model m = ModelSource.load(model, common.seed, common.memoryLimit());
    ModelSummary s = ModelSummary.of(m);
    TextTable t = new TextTable("layer", "op", "output", "params", "non-zeros", "density", "MACs", "bytes");
    List<Object> layers = new ArrayList<>();
    for (LayerStats l : s.layers()) {
      t.row(l.name(), l.op(), Arrays.toString(l.outputShape()), l.params(), l.nonzeros(),
          String.format("%.2f%%", 100 * l.density()), l.macs(), l.bytes());
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("name", l.name());
      j.put("op", l.op());
      j.put("output", l.outputShape());
      j.put("params", l.params());
      j.put("nonzeros", l.nonzeros());
      j.put("density", Results.round(l.density()));
      j.put("macs", l.macs());
      j.put("bytes", l.bytes());
      layers.add(j);
    }
    t.row("total", "", "", s.params(), s.nonzeros(), String.format("%.2f%%", 100 * s.density()), s.macs(), s.bytes());
    Path file = Path.of(model);
    Long fileBytes = Files.isRegularFile(file) ? Files.size(file) : null;
    o.line(model + ": " + m.graph().nodes().size() + " nodes, opset " + m.opset()
        + (m.producerName().isEmpty() ? "" : ", made by " + m.producerName() + " " + m.producerVersion())
        + (fileBytes == null ? "" : ", file " + fileBytes + " bytes"));
    String pre = m.metadata().get(dev.condense.data.Preprocess.METADATA_KEY);
    if (pre != null) {
      dev.condense.data.Preprocess.parse(pre, model + " (metadata " + dev.condense.data.Preprocess.METADATA_KEY + ")");
    }
    WeightStorage stored = WeightStorage.of(m.graph());
    o.line(stored.text());
    o.line("preprocessing: " + (pre == null ? "none stored (commands use --preprocess or the data set's default, with a warning)" : pre));
    o.line(t.toText());
    TrainableTensors what = TrainableTensors.of(m.graph(), OpTable.standard());
    o.line(TrainingSummary.text(what));
    // Which layers channel pruning may thin, and why the others are pinned (a shared tensor, a
    // graph output, an op it cannot slice through).
    TextTable g = new TextTable("channel group", "channels", "prunable");
    List<Object> groups = new ArrayList<>();
    List<ChannelGroup> found = ChannelGroups.of(m);
    for (ChannelGroup cg : found) {
      g.row(cg.name(), cg.size(), cg.prunable() ? "yes" : "no: " + cg.pinned());
      groups.add(GroupListing.json(cg));
    }
    o.line(listGroups ? GroupListing.text(found) : g.toText());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("model", model);
    r.put("opset", m.opset());
    r.put("preprocess", pre);
    r.put("weights_external", stored.externalFiles());
    r.put("weights_stored_as", stored.types());
    r.put("layers", layers);
    r.put("channel_groups", groups);
    r.put("params", s.params());
    r.put("nonzeros", s.nonzeros());
    r.put("macs", s.macs());
    r.put("bytes", s.bytes());
    r.put("training", TrainingSummary.json(what));
    if (fileBytes != null) {
      r.put("file_bytes", fileBytes);
    }
    o.result(r);
    return 0;
  }
}

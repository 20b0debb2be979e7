package dev.condense.data;

import dev.condense.engine.Engine;
import dev.condense.engine.Evaluation;
import dev.condense.engine.Progress;
import dev.condense.engine.Session;
import dev.condense.engine.cpu.CpuEngine;
import dev.condense.graph.Model;
import dev.condense.zoo.Zoo;
import java.nio.file.Path;

/**
 * The streaming pass {@code bench/folder-streaming.sh} measures: an untrained LeNet-300-100 (seed 1; {@code -Dmodel=lenet-5} for another zoo model)
 * evaluated on an image folder read by {@link FolderSet} (Condense's own PNG/JPEG decoder, {@code ImageDecoder}),
 * so every image is decoded, preprocessed and run through the engine once. Prints one line per
 * batch, {@code batch DONE TOTAL SECONDS}, which the script pairs with the JVM's resident memory.
 *
 * <p>Usage: {@code FolderStreamingBench DIR THREADS BATCH [fill]}; with {@code fill} the batches
 * are only filled, as the engine fills them, without running the model (the loader alone).
 */
public final class FolderStreamingBench {
  private FolderStreamingBench() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    long t0 = System.nanoTime();
    FolderSet set = FolderSet.open(dir, dir.getFileName().toString(), Preprocess.UNIT,
        new FolderOptions(dev.condense.data.image.ImageDecoder::decode, threads, false));
    System.out.printf("opened %s in %.1f s%n", set, (System.nanoTime() - t0) / 1e9);
    if (args.length > 3 && args[3].equals("fill")) {
      long start = System.nanoTime();
      float[] x = new float[batch * set.sampleSize()];
      int[] y = new int[batch];
      int batches = Batches.count(set.size(), batch);
      for (int b = 0; b < batches; b++) {
        int from = b * batch;
        set.fill(null, from, Math.min(batch, set.size() - from), x, y);
        System.out.printf("batch %d %d %.2f%n", b + 1, batches, (System.nanoTime() - start) / 1e9);
      }
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf("done: %d images filled in %.1f s, %.0f images/s%n", set.size(), s, set.size() / s);
      return;
    }
    Model model = Zoo.create(System.getProperty("model", "lenet-300-100"), 1, set.sampleShape(), set.numClasses());
    try (Engine engine = new CpuEngine(threads); Session session = engine.open(model)) {
      long start = System.nanoTime();
      Evaluation e = session.evaluate(set, batch, new Progress() {
        @Override
        public void start(String task, long total) {}

        @Override
        public void update(long done, String status) {
          System.out.printf("batch %d %d %.2f%n", done, Batches.count(set.size(), batch), (System.nanoTime() - start) / 1e9);
        }

        @Override
        public void finish(String summary) {}
      });
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf("done %s: %d images in %.1f s, %.0f images/s%n", e, set.size(), s, set.size() / s);
    }
  }
}

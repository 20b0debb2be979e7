package dev.condense.bench.speed;

import dev.condense.data.Dataset;
import dev.condense.data.Preprocess;
import java.util.SplittableRandom;

/**
 * Seeded random images (standard normal) and labels: what a speed measurement needs of a data
 * set, with no file to read. Sample {@code i} is a function of the seed and {@code i} only.
 */
final class SyntheticSet implements Dataset {
  private final int size;
  private final int[] sample;
  private final int classes;
  private final long seed;

  SyntheticSet(int size, int[] sample, int classes, long seed) {
    this.size = size;
    this.sample = sample.clone();
    this.classes = classes;
    this.seed = seed;
  }

  @Override
  public String name() {
    return "synthetic";
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int[] sampleShape() {
    return sample.clone();
  }

  @Override
  public int numClasses() {
    return classes;
  }

  @Override
  public Preprocess preprocess() {
    return Preprocess.NONE;
  }

  @Override
  public Dataset preprocessed(Preprocess p) {
    return this;
  }

  @Override
  public int label(int i) {
    return (int) Math.floorMod(seed * 31 + i * 0x9E3779B97F4A7C15L >>> 7, classes);
  }

  @Override
  public void fill(int[] order, int from, int count, float[] x, int[] y) {
    int len = sampleSize();
    for (int b = 0; b < count; b++) {
      int i = order == null ? from + b : order[from + b];
      SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
      for (int j = 0; j < len; j++) {
        x[b * len + j] = (float) r.nextGaussian();
      }
      if (y != null) {
        y[b] = label(i);
      }
    }
  }
}

package dev.condense.data;

/**
 * Some samples of another data set, by index, without copying them: a head or slice for a quick
 * run, or a seeded calibration sample of a large set.
 */
final class Subset implements Dataset {
  private final Dataset base;
  private final int[] indices;
  private final String name;

  Subset(Dataset base, int[] indices, String name) {
    for (int i : indices) {
      if (i < 0 || i >= base.size()) {
        throw new IllegalArgumentException("index " + i + " outside " + base.name() + " (" + base.size() + " samples)");
      }
    }
    this.base = base;
    this.indices = indices.clone();
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return indices.length;
  }

  @Override
  public int[] sampleShape() {
    return base.sampleShape();
  }

  @Override
  public int numClasses() {
    return base.numClasses();
  }

  @Override
  public String notTokenIds() {
    return base.notTokenIds();
  }

  @Override
  public Preprocess preprocess() {
    return base.preprocess();
  }

  @Override
  public Dataset preprocessed(Preprocess p) {
    return new Subset(base.preprocessed(p), indices, name);
  }

  @Override
  public int label(int i) {
    return base.label(indices[i]);
  }

  @Override
  public void fill(int[] order, int from, int count, float[] x, int[] y) {
    int[] mapped = new int[count];
    for (int b = 0; b < count; b++) {
      mapped[b] = indices[order == null ? from + b : order[from + b]];
    }
    base.fill(mapped, 0, count, x, y);
  }

  @Override
  public Dataset subset(int[] more, String name) {
    int[] composed = new int[more.length];
    for (int i = 0; i < more.length; i++) {
      composed[i] = indices[more[i]];
    }
    return new Subset(base, composed, name);
  }

  @Override
  public String toString() {
    return Dataset.describe(this);
  }
}

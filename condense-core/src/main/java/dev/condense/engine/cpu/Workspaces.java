package dev.condense.engine.cpu;

/** Per-thread scratch arrays of the kernels, grown on demand and kept between calls. */
final class Workspaces {
  private Workspaces() {}

  /** Part {@code part} of {@code ws}, at least {@code size} floats long. */
  static float[] ensure(float[][] ws, int part, int size) {
    if (ws[part] == null || ws[part].length < size) {
      ws[part] = new float[size];
    }
    return ws[part];
  }
}

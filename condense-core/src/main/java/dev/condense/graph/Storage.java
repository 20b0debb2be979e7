package dev.condense.graph;

/**
 * How a file stored one tensor (an initializer, or the tensor attribute of the node producing a
 * value), where that differs from its in-memory form: the element type when the file had
 * FLOAT16, BFLOAT16 or DOUBLE (the tensor is FLOAT in memory), and the external data file
 * holding its bytes, relative to the model's directory, or null when they were in the model.
 * The writer stores the tensor the same way, so a float16 model stays a float16 model.
 */
public record Storage(DType dtype, String externalFile) {

  /** Whether the bytes lived in a side file (ONNX external data). */
  public boolean isExternal() {
    return externalFile != null;
  }
}

package dev.condense.graph;

import java.util.Arrays;
import java.util.List;

/** A node attribute, one of the ONNX attribute kinds Condense's op set uses. */
public sealed interface Attribute {

  record FloatAttr(float value) implements Attribute {}

  record IntAttr(long value) implements Attribute {}

  record StringAttr(String value) implements Attribute {}

  record TensorAttr(Tensor value) implements Attribute {}

  record FloatsAttr(float[] values) implements Attribute {
    @Override
    public boolean equals(Object o) {
      return o instanceof FloatsAttr f && Arrays.equals(f.values, values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return Arrays.toString(values);
    }
  }

  record IntsAttr(long[] values) implements Attribute {
    @Override
    public boolean equals(Object o) {
      return o instanceof IntsAttr f && Arrays.equals(f.values, values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return Arrays.toString(values);
    }
  }

  record StringsAttr(List<String> values) implements Attribute {}
}

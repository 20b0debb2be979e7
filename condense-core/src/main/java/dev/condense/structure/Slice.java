package dev.condense.structure;

/**
 * Where channel {@code j} of a group lives in one weight tensor: along {@code axis}, the
 * {@code block} consecutive indices starting at {@code (offset + j) · block}. A Conv filter is
 * (weight, axis 0, offset 0, block 1); the columns of a fully connected layer after a Flatten
 * of 50 channels of 4×4 are (weight, axis 1, offset 0, block 16); a channel behind a Concat
 * has the offset of its input.
 *
 * @param role whether the slice makes the channel (a filter and its bias), is a per-channel
 *     parameter on the way (BatchNorm, depthwise filter, a per-channel constant), reads it, or
 *     makes the gate that rescales it
 */
public record Slice(String tensor, int axis, int offset, int block, Role role) {

  /** What a slice does for its channel. */
  public enum Role {
    /** Makes the channel: a filter, a fully connected row, their bias. */
    PRODUCER,
    /** A per-channel parameter on the way: BatchNorm, a depthwise or grouped filter, a per-channel constant. */
    PARAMETER,
    /** Reads the channel: the next layer's input columns. */
    CONSUMER,
    /** Makes the per-channel factor that rescales the channel: a squeeze-and-excitation branch's expanding Conv. */
    GATE
  }

  /** First index of channel {@code j} along {@link #axis}. */
  public int start(int j) {
    return (offset + j) * block;
  }

  /** Visits the flat (row-major) index of every element channel {@code j} owns in a tensor of {@code shape}. */
  public void forEachIndex(int[] shape, int j, java.util.function.IntConsumer visit) {
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= shape[i];
    }
    int inner = 1;
    for (int i = axis + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    for (int o = 0; o < outer; o++) {
      for (int k = start(j); k < start(j) + block; k++) {
        int base = (o * shape[axis] + k) * inner;
        for (int i = 0; i < inner; i++) {
          visit.accept(base + i);
        }
      }
    }
  }
}

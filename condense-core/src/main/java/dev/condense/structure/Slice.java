package dev.condense.structure;

/**
 * Where channel {@code j} of a group lives in one weight tensor: along {@code axis}, the
 * {@code block} consecutive indices starting at {@code (offset + j) · block}. A Conv filter is
 * (weight, axis 0, offset 0, block 1); the columns of a fully connected layer after a Flatten
 * of 50 channels of 4×4 are (weight, axis 1, offset 0, block 16); a channel behind a Concat
 * has the offset of its input.
 */
public record Slice(String tensor, int axis, int offset, int block) {

  /** First index of channel {@code j} along {@link #axis}. */
  public int start(int j) {
    return (offset + j) * block;
  }
}

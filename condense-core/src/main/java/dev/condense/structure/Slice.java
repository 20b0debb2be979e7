package dev.condense.structure;

/**
 * Where channel {@code j} of a group lives in one weight tensor: along {@code axis}, the
 * {@code block} consecutive indices starting at {@code (offset + j) · block}. A Conv filter is
 * (weight, axis 0, offset 0, block 1); the columns of a fully connected layer after a Flatten
 * of 50 channels of 4×4 are (weight, axis 1, offset 0, block 16); a channel behind a Concat
 * has the offset of its input.
 *
 * @param role whether the slice makes the channel (a filter and its bias), is a per-channel
 *     parameter on the way (BatchNorm, depthwise filter, a per-channel constant), or reads it
 */
public record Slice(String tensor, int axis, int offset, int block, Role role) {

  /** What a slice does for its channel. */
  public enum Role { PRODUCER, PARAMETER, CONSUMER }

  /** First index of channel {@code j} along {@link #axis}. */
  public int start(int j) {
    return (offset + j) * block;
  }
}

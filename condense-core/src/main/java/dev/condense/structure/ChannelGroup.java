package dev.condense.structure;

import java.util.List;

/**
 * Channels that must be removed together: when channel j goes, every slice of every listed
 * tensor goes with it. A group starts at the layers that make the channels (Conv filters,
 * fully connected rows), follows them through element-wise ops, pools, BatchNormalization,
 * Flatten, residual Adds (which merge the groups of their inputs) and Concats (which offset
 * them), and ends at the layers that read them (Conv input channels, fully connected columns).
 *
 * @param size number of channels
 * @param producers the nodes whose weights create the channels (several after a residual Add)
 * @param consumers the nodes whose weights read the channels
 * @param values the activations that carry the channels (for capture: APoZ, channel sampling)
 * @param slices every tensor slice a channel owns: producers' rows and biases, BatchNorm
 *     parameters, consumers' input columns
 * @param reshapes flattening Reshapes downstream whose constant target shrinks with the group
 * @param depthwise depthwise Conv nodes the channels pass through; their {@code group} attribute
 *     equals the channel count and shrinks with it
 * @param pinned why the group must not be pruned (it reaches a graph output, an op Condense
 *     cannot slice through, ...), or null if it may be
 */
public record ChannelGroup(int id, int size, List<String> producers, List<String> consumers,
    List<String> values, List<Slice> slices, List<ReshapeFix> reshapes, List<String> depthwise,
    String pinned) {

  public ChannelGroup {
    producers = List.copyOf(producers);
    consumers = List.copyOf(consumers);
    values = List.copyOf(values);
    slices = List.copyOf(slices);
    reshapes = List.copyOf(reshapes);
    depthwise = List.copyOf(depthwise);
  }

  /**
   * A Reshape that flattens the group's channels into features: its constant target
   * {@code shapeTensor} loses {@code block} features per removed channel in its last entry.
   */
  public record ReshapeFix(String shapeTensor, int block) {}

  public boolean prunable() {
    return pinned == null;
  }

  /** A short name: the producer layers joined with '+'. */
  public String name() {
    return String.join("+", producers);
  }
}

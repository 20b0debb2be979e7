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
 * @param values the activations that carry the channels one activation channel each (for capture:
 *     APoZ); not those where a shuffle made a channel several positions, nor the layer's own output
 *     once a chunk cut its group in two
 * @param slices every tensor slice a channel owns: producers' rows and biases, BatchNorm
 *     parameters, consumers' input columns
 * @param reshapes flattening Reshapes' targets and Splits' sizes downstream that shrink with the group
 * @param depthwise depthwise and grouped Conv nodes the channels pass through (channel c in is
 *     channel c out); their {@code group} attribute shrinks by one per whole group removed
 * @param gates producers whose channels only rescale the group's (the expanding 1×1 Conv of a
 *     squeeze-and-excitation branch, Hu et al. 2018 §3.2, multiplied into the trunk): they are cut
 *     with the group but do not make it a residual stream, and are not scored as its filters
 * @param rewrites shape and slice-bound inputs downstream that are replaced by constants when the
 *     group loses channels (the Reshapes that view channels as attention heads, the Slices that cut
 *     a packed projection): see {@link ShapeRewrite}
 * @param shuffles the channel shuffles (Reshape → Transpose → Reshape, named by the first Reshape)
 *     that interleave the channels: channel j of each part goes together, so one channel of the
 *     group is one of each part's, and the Reshapes' targets shrink with it
 * @param headSize the size of one attention head when the channels are heads' (Q, K, V columns
 *     and the output projection's rows of whole heads; {@code unit} is then a multiple of it),
 *     0 otherwise
 * @param unit channels go in aligned blocks of this many ({@code [k·unit, (k+1)·unit)}): the
 *     input width of one group of a grouped Conv on the way (1: any channel alone)
 * @param pinned why the group must not be pruned (it reaches a graph output, an op Condense
 *     cannot slice through, ...), or null if it may be: the first of {@code reasons}
 * @param reasons every reason found that pins the group, in the order found (empty: prunable)
 */
public record ChannelGroup(int id, int size, List<String> producers, List<String> consumers,
    List<String> values, List<Slice> slices, List<ReshapeFix> reshapes, List<String> depthwise,
    List<String> gates, List<ShapeRewrite> rewrites, List<String> shuffles, int headSize, int unit, String pinned, List<String> reasons) {

  public ChannelGroup {
    producers = List.copyOf(producers);
    consumers = List.copyOf(consumers);
    values = List.copyOf(values);
    slices = List.copyOf(slices);
    reshapes = List.copyOf(reshapes);
    depthwise = List.copyOf(depthwise);
    gates = List.copyOf(gates);
    rewrites = List.copyOf(rewrites);
    shuffles = List.copyOf(shuffles);
    reasons = List.copyOf(reasons);
  }

  /**
   * A constant shape or size tensor that shrinks with the group: entry {@code index} (−1: the
   * last) of {@code shapeTensor} loses {@code block} per removed channel. A flattening Reshape's
   * target (its last entry, {@code block} features per channel), a Split's part sizes (the part
   * that holds the channels, block 1).
   */
  public record ReshapeFix(String shapeTensor, int index, int block) {}

  /** Whether the channels are attention heads' (they go in whole heads of {@link #headSize}). */
  public boolean heads() {
    return headSize > 0;
  }

  public boolean prunable() {
    return pinned == null;
  }

  /** A short name: the producer layers that are not gates, joined with '+'. */
  public String name() {
    return String.join("+", trunk());
  }

  /** The producers that make the channels (all but the {@link #gates}). */
  public List<String> trunk() {
    return producers.stream().filter(p -> !gates.contains(p)).toList();
  }

  /**
   * {@code count} channels rounded to whole {@link #unit}s (the nearest number of them), leaving
   * at least one unit: how many channels of this group a method asking for {@code count} removes.
   */
  public int removable(int count) {
    int units = (int) Math.round((double) count / unit);
    return Math.max(0, Math.min(units, size / unit - 1)) * unit;
  }
}

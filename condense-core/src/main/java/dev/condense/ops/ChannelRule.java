package dev.condense.ops;

/**
 * How channels (axis 1 of an activation) flow through an op: the rule {@code structure}'s
 * channel dependency analysis applies to its node. Each rule is one method there; an op declares
 * which one holds for it.
 */
public enum ChannelRule {
  /** Reads channels through weight axis 1 and makes new ones (weight axis 0); depthwise passes them. */
  CONVOLUTION,
  /**
   * ConvTranspose: reads channels through weight axis 0 and makes new ones along weight axis 1
   * (W is [C_in, C_out/group, k...]); a grouped one with as many outputs as inputs passes them.
   */
  TRANSPOSED_CONVOLUTION,
  /** Gemm: reads channels through its B matrix and makes new ones (its columns, or rows with transB). */
  FULLY_CONNECTED,
  /** MatMul with a 2-D weight: reads through its rows and makes new ones (its columns). */
  MATRIX_PRODUCT,
  /** Channel c in is channel c out (activations, pools, Dropout, Identity); other inputs are pinned. */
  PASS_THROUGH,
  /** Passes channels and slices its per-channel parameters with them (BatchNormalization). */
  PER_CHANNEL,
  /** Flatten: channel c becomes a block of H×W features (at axis 1). */
  FLATTEN,
  /** Reshape: flattening reshapes act as Flatten, same-shape ones pass channels, others pin. */
  RESHAPE,
  /** Two inputs with broadcasting: merges two channel sets, slices a per-channel constant. */
  BROADCAST,
  /** Split: cuts the channels (along axis 1) into consecutive parts, one per output; elsewhere passes them. */
  SPLIT,
  /** Slice: keeps a range of each axis; channels inside the range follow, with their offset. */
  SLICE,
  /** Concat: places its inputs' channels at offsets along axis 1. */
  CONCATENATE,
  /** Passes channels when it leaves the channel axis alone ({@link Op#channelAxisChange}), else pins. */
  SPATIAL,
  /** Carries no channels (Constant). */
  NONE,
  /** Channels cannot be followed through it: every input is pinned. */
  BLOCKS
}

/**
 * Channel structure: which tensor axes move together when a channel goes (dependency groups
 * through Conv, depthwise and grouped Conv, BatchNorm, activations, pools, Flatten, residual Add,
 * squeeze-and-excitation gates, Split, Slice and Concat, attention heads through the Reshapes and
 * products of an attention), thinning that
 * slices every coupled tensor consistently, channel alignment and the global-average-pool head.
 *
 * <p>May import: {@code dev.condense}, {@code graph}, {@code ops}; not {@code zoo} (structure holds for any
 * model, not just the built-in ones) and not {@code engine.cpu} (both enforced by
 * {@code LayeringTest}).
 */
package dev.condense.structure;

/**
 * Channel structure: which tensor axes move together when a channel goes (dependency groups
 * through Conv, depthwise and grouped Conv, BatchNorm, activations, pools, Flatten, residual Add,
 * squeeze-and-excitation gates, Split and Concat), thinning that
 * slices every coupled tensor consistently, channel alignment and the global-average-pool head.
 *
 * <p>May import: {@code dev.condense}, {@code graph}; not {@code zoo} (structure holds for any
 * model, not just the built-in ones) and not {@code engine.cpu} (both enforced by
 * {@code LayeringTest}).
 */
package dev.condense.structure;

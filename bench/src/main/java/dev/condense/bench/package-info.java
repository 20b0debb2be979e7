/**
 * Benchmarks (JMH) of Condense's own kernels and solvers against their peers: k-means, sparse
 * fully connected products, least-squares solvers; image decoding and the channel-group mask
 * check on real exports (plain mains, not JMH).
 *
 * <p>May import: anything of condense-core and condense-engine, ONNX Runtime, JMH and Commons
 * Imaging. Nothing imports it.
 */
package dev.condense.bench;

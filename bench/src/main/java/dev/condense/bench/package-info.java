/**
 * Benchmarks (JMH) of Condense's own kernels and solvers against their peers: k-means, sparse
 * fully connected products, least-squares solvers.
 *
 * <p>May import: anything of condense-core and condense-engine, ONNX Runtime and JMH. Nothing
 * imports it.
 */
package dev.condense.bench;

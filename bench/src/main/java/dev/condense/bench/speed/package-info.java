/**
 * Issue 18's speed measurements of the CPU engine: a per-op profile of a training step
 * ({@link dev.condense.bench.speed.TrainProfile}), the machine's sgemm peak it is read against
 * ({@link dev.condense.bench.speed.SgemmPeak}), and the training-throughput side of
 * {@code bench/train-speed.sh} ({@link dev.condense.bench.speed.TrainSpeed}).
 */
package dev.condense.bench.speed;

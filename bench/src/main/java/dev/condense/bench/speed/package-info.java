/**
 * Issue 18's speed measurements of the CPU engine: a per-op profile of a training step
 * ({@link dev.condense.bench.speed.TrainProfile}), the machine's sgemm peak it is read against
 * ({@link dev.condense.bench.speed.SgemmPeak}), the training-throughput side of
 * {@code bench/train-speed.sh} ({@link dev.condense.bench.speed.TrainSpeed}), and evaluation
 * throughput against ONNX Runtime for {@code bench/sensitivity-speed.sh}
 * ({@link dev.condense.bench.speed.EvalThroughput}).
 */
package dev.condense.bench.speed;

/**
 * Forward-only work in ONNX Runtime behind Condense's {@link dev.condense.engine.Engine}
 * interface: {@link dev.condense.ort.OrtEngine} runs, evaluates and captures intermediate values
 * of a model (added as extra graph outputs to the ONNX bytes Condense writes), so evaluation,
 * sensitivity and calibration can run where ONNX Runtime is faster; training stays on the engine.
 *
 * <p>May import: {@code dev.condense}, {@code data}, {@code engine} (the interfaces only, never
 * {@code engine.cpu}), {@code graph}, {@code onnx} (with its protobuf classes), {@code ops}, and
 * ONNX Runtime. The command line ({@code dev.condense.cli}) uses it; it never imports the command
 * line (enforced by {@code CliLayeringTest}).
 */
package dev.condense.ort;

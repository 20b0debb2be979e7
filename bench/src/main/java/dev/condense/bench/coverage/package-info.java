/**
 * The model-coverage check of issue 13 (§3): one exported model at a time is loaded, run against
 * ONNX Runtime, trained one step against PyTorch's gradients and written and read back; {@code
 * tools/model-coverage/run.sh} drives it and writes {@code docs/model-coverage.md}.
 *
 * <p>May import: anything of condense-core and condense-engine, and ONNX Runtime. Nothing imports it.
 */
package dev.condense.bench.coverage;

/**
 * The {@code condense} command (picocli): one class per sub-command, option mixins, progress
 * bars, console and JSON output, and the flag hints added to core errors. The only package that
 * prints.
 *
 * <p>May import: every package of condense-core and condense-engine (it chooses the engine, with
 * {@code NativeEngines}, and closes it), ONNX Runtime, picocli, Jackson, XChart. Nothing imports
 * it.
 */
package dev.condense.cli;

/**
 * The library's front door: {@link dev.condense.api.Condense} (load a model, write it atomically
 * and read it back, the built-in data, a default engine, recipes) and the compression methods as
 * {@link dev.condense.api.Transformation}s — {@link dev.condense.api.MagnitudePruning},
 * {@link dev.condense.api.FilterPruning}, {@link dev.condense.api.WeightSharing},
 * {@link dev.condense.api.ChannelPruning} — each a thin wrapper on one recipe step and its
 * executor, so the library, the recipes and the command line run the same code.
 * {@link dev.condense.api.ModelFiles} writes {@code .cdz} or ONNX and checks what was written.
 *
 * <p>May import: every package of condense-core. It is the one package besides the CLI that may
 * construct the pure-Java engine ({@code engine.cpu.CpuEngine}) as the default for methods given
 * data but no engine; nothing in condense-core imports it.
 */
package dev.condense.api;

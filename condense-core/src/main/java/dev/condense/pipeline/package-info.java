/**
 * Recipes: YAML recipes read into steps, the pipeline that runs them (prune, trim, quantize,
 * cluster, reconstruct, fine-tune) and records each stage, sensitivity analysis and the VQ sweep.
 *
 * <p>May import: every method and model package of condense-core ({@code graph}, {@code data},
 * {@code structure}, {@code prune}, {@code quant}, {@code format}, {@code report},
 * {@code numeric}) and the engine's interfaces ({@code dev.condense.engine}); never
 * {@code engine.cpu}: the caller passes the engine in (enforced by {@code LayeringTest}).
 */
package dev.condense.pipeline;

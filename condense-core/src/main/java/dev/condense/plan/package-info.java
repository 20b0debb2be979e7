/**
 * Budgets instead of per-layer ratios: how one compression target (multiply-adds, parameters,
 * latency) is split across a model's layers. Channels of every prunable group are ranked
 * together by a normalised importance, each group keeps a floor, and the number removed is the
 * smallest that meets the target, measured on the thinned model itself. A {@link
 * dev.condense.plan.LatencyTable} of one-layer timings (timed by a caller's {@link
 * dev.condense.plan.LayerTimer}, cached by {@link dev.condense.plan.LatencyCache} in a directory the
 * caller gives) can steer each kept count up to one the runtime runs faster.
 *
 * <p>May import: {@code dev.condense}, {@code graph}, {@code data}, {@code ops}, {@code structure},
 * {@code prune}, {@code report} and the engine's interfaces ({@code dev.condense.engine}); never
 * {@code engine.cpu} (enforced by {@code LayeringTest}).
 */
package dev.condense.plan;

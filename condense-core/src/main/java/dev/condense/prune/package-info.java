/**
 * Pruning criteria and selection: magnitude (Han 2015), APoZ (Hu 2016), L1 filter norms (Li
 * 2017), LASSO channel selection and least-squares reconstruction (He 2017), ThiNet (Luo 2017),
 * dead neurons, masks and schedules.
 *
 * <p>May import: {@code dev.condense}, {@code graph}, {@code data}, {@code structure},
 * {@code numeric} and the engine's interfaces ({@code dev.condense.engine}); never
 * {@code engine.cpu} (enforced by {@code LayeringTest}).
 */
package dev.condense.prune;

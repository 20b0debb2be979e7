/**
 * The engine as compression methods see it: the {@link dev.condense.engine.Engine} and
 * {@link dev.condense.engine.Session} interfaces (an engine owns its threads and is closed after
 * use), training configuration, weight constraints (mask, frozen, shared), distillation, the loss
 * and evaluation results. Methods reach the engine only through these types.
 *
 * <p>May import: {@code dev.condense}, {@code graph}, {@code data}; never its implementation
 * {@code engine.cpu} (enforced by {@code LayeringTest}).
 */
package dev.condense.engine;

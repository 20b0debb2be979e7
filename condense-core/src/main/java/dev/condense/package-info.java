/**
 * Condense's root: what every package may use — the user-facing error ({@link dev.condense.CondenseException}),
 * atomic file writes, I/O error wording, 16-bit float conversions, the version, the {@link dev.condense.SizeBudget} that bounds what a file may make Condense allocate,
 * and the {@link dev.condense.MemoryLimit} (per tensor, per model) that readers and the engine check before allocating.
 *
 * <p>May import: the JDK only. Every other package may import it.
 */
package dev.condense;

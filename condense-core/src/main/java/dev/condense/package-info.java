/**
 * Condense's root: what every package may use — the user-facing error ({@link dev.condense.CondenseException}),
 * atomic file writes, I/O error wording and the version.
 *
 * <p>May import: the JDK only. Every other package may import it.
 */
package dev.condense;

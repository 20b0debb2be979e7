/**
 * Peak resident memory of each file reader on adversarial-but-valid inputs (issue 17 §6): the
 * inputs ({@link dev.condense.bench.rss.ReaderInputs}: for each reader the largest valid file of a
 * small size and the bombs of that size) and a main that runs one reader on one file
 * ({@link dev.condense.bench.rss.ReadOne}), timed by {@code bench/reader-rss.sh} under
 * {@code /usr/bin/time -v} in a JVM with a small heap.
 *
 * <p>May import: anything of condense-core. Nothing imports it.
 */
package dev.condense.bench.rss;

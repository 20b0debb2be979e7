package dev.condense.data;

import dev.condense.data.image.Image;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * One batch read ahead: after a batch is taken, the batch that follows it in the same order is
 * loaded in the background, so a caller reading batch after batch finds each one ready when loading
 * keeps up. It holds at most that one batch: taking a batch that is not the one read ahead stops
 * and drops it first. Which batch is ahead is told by the samples it holds, so any caller that reads
 * consecutive runs of one order is served, whatever array it passes.
 */
final class BatchAhead {
  private final DecodePool pool;
  private final IntFunction<Image> load;
  private int[] pending;
  private DecodePool.Job<Image> job;

  /** Loads sample {@code s} with {@code load(s)} on {@code pool}. */
  BatchAhead(DecodePool pool, IntFunction<Image> load) {
    this.pool = pool;
    this.load = load;
  }

  /** Samples {@code samples}, loaded: the batch read ahead if it is this one, loaded now otherwise. */
  synchronized Image[] take(int[] samples) {
    DecodePool.Job<Image> ready = job;
    boolean hit = ready != null && Arrays.equals(pending, samples);
    job = null;
    pending = null;
    if (ready != null && !hit) {
      ready.cancel();
    }
    Object[] r = hit ? ready.await() : pool.run(samples.length, k -> load.apply(samples[k]));
    return Arrays.copyOf(r, r.length, Image[].class);
  }

  /** Starts loading {@code samples} in the background (dropping any batch read ahead before). */
  synchronized void readAhead(int[] samples) {
    if (job != null) {
      job.cancel();
    }
    pending = samples.clone();
    int[] s = pending;
    job = pool.start(s.length, k -> load.apply(s[k]));
  }
}

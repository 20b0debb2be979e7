package dev.condense.engine.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits loops over independent items (images, channels, rows) across a fixed number of worker
 * threads owned by one engine. Small loops run on the calling thread: forking costs more than
 * it saves below a few thousand elements of work.
 */
public final class Parallel implements AutoCloseable {
  /** Work (in element operations) below which a loop is not split. */
  private static final long MIN_WORK = 32_768;

  private final int threads;
  private final ForkJoinPool pool;

  public Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1");
    }
    this.threads = threads;
    this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
  }

  public int threads() {
    return threads;
  }

  /** A loop body over the index range {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into contiguous ranges, one per thread;
   * {@code workPerItem} estimates element operations per index to decide whether splitting pays.
   */
  public void forRange(int n, long workPerItem, Range body) {
    int parts = pool == null ? 1 : (int) Math.min(threads, Math.max(1, n * workPerItem / MIN_WORK));
    parts = Math.min(parts, n);
    if (parts <= 1) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    List<ForkJoinTask<?>> tasks = new ArrayList<>(parts - 1);
    for (int p = 1; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      tasks.add(pool.submit(() -> body.run(from, to)));
    }
    body.run(0, (int) ((long) n / parts));
    for (ForkJoinTask<?> t : tasks) {
      t.join();
    }
  }

  /**
   * Runs {@code body} over {@code [0, n)} in {@code parts} ranges whose boundaries are
   * multiples of {@code align} (so matrix blocks stay vector-aligned), regardless of size.
   */
  public void forBlocks(int n, int parts, int align, Range body) {
    int units = (n + align - 1) / align;
    parts = Math.min(parts, Math.min(threads, units));
    if (parts <= 1) {
      body.run(0, n);
      return;
    }
    List<ForkJoinTask<?>> tasks = new ArrayList<>(parts - 1);
    for (int p = 1; p < parts; p++) {
      int from = Math.min(n, (int) ((long) units * p / parts) * align);
      int to = p == parts - 1 ? n : Math.min(n, (int) ((long) units * (p + 1) / parts) * align);
      tasks.add(pool.submit(() -> body.run(from, to)));
    }
    body.run(0, Math.min(n, (int) ((long) units / parts) * align));
    for (ForkJoinTask<?> t : tasks) {
      t.join();
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}

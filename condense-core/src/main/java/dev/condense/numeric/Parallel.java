package dev.condense.numeric;

import java.util.concurrent.locks.LockSupport;

/**
 * Splits loops over independent items (images, channels, rows, matrix blocks) across a fixed
 * set of worker threads owned by whoever created the pool (an engine, a k-means run), which
 * closes it to stop them. The calling thread runs the first part itself.
 *
 * <p>Workers spin briefly between tasks before parking: a training step hands out some twenty
 * short parallel loops, and waking a parked thread for each (tens of microseconds on these
 * VMs) cost a millisecond per step. OpenBLAS runs single-threaded inside the engine (see
 * {@link Blas}), so these are the only busy threads. Small loops run on the calling thread.
 */
public final class Parallel implements AutoCloseable {
  /** Work (in element operations) below which a loop is not split. */
  private static final long MIN_WORK = 32_768;
  /** How long an idle worker spins before it parks. */
  private static final long SPIN_NANOS = 200_000;

  private final int threads;
  private final Worker[] workers;
  private volatile boolean closed;

  public Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1");
    }
    this.threads = threads;
    this.workers = new Worker[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker("condense-worker-" + (i + 1));
      workers[i].start();
    }
  }

  public int threads() {
    return threads;
  }

  /** Whether {@link #close()} was called; a closed pool runs no more loops. */
  public boolean isClosed() {
    return closed;
  }

  /** A loop body over the index range {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  /** A loop body over one part {@code [from, to)} of a range; {@code part} is in [0, threads). */
  @FunctionalInterface
  public interface Part {
    void run(int part, int from, int to);
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into contiguous ranges, at most one per thread;
   * {@code workPerItem} estimates element operations per index to decide whether splitting pays.
   */
  public void forRange(int n, long workPerItem, Range body) {
    int parts = (int) Math.min(threads, Math.max(1, n * workPerItem / MIN_WORK));
    run(Math.min(parts, n), n, 1, (part, from, to) -> body.run(from, to));
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into one contiguous part per thread (fewer when
   * {@code n} is small), so each part can use its own workspace. The split depends only on
   * {@code n} and the thread count, so results are the same on every run.
   */
  public void forParts(int n, Part body) {
    run(Math.min(threads, n), n, 1, body);
  }

  /**
   * Runs {@code body} over {@code [0, n)} in up to {@code parts} ranges whose boundaries are
   * multiples of {@code align} (so matrix blocks stay vector-aligned).
   */
  public void forBlocks(int n, int parts, int align, Range body) {
    int units = (n + align - 1) / align;
    run(Math.min(parts, Math.min(threads, units)), n, align, (part, from, to) -> body.run(from, to));
  }

  /** Part p of {@code parts} covers [bound(p), bound(p+1)), boundaries rounded to {@code align}. */
  private static int bound(int p, int parts, int n, int align) {
    if (p >= parts) {
      return n;
    }
    int units = (n + align - 1) / align;
    return Math.min(n, (int) ((long) units * p / parts) * align);
  }

  private void run(int parts, int n, int align, Part body) {
    if (closed) {
      throw new IllegalStateException("the worker pool is closed");
    }
    if (n <= 0) {
      return;
    }
    if (parts <= 1 || Thread.currentThread() instanceof Worker) {
      body.run(0, 0, n);
      return;
    }
    for (int p = 1; p < parts; p++) {
      int part = p;
      int from = bound(p, parts, n, align);
      int to = bound(p + 1, parts, n, align);
      workers[p - 1].assign(() -> body.run(part, from, to));
    }
    Throwable failure = null;
    try {
      body.run(0, 0, bound(1, parts, n, align));
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (int p = 1; p < parts; p++) {
      Throwable t = workers[p - 1].awaitDone();
      if (failure == null) {
        failure = t;
      }
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }

  /** Stops the worker threads. Closing twice does nothing. */
  @Override
  public void close() {
    closed = true;
    for (Worker w : workers) {
      w.shutdown();
    }
  }

  /** One worker thread: takes a task, runs it, reports done; spins, then parks, while idle. */
  private static final class Worker extends Thread {
    private volatile Runnable task;
    private volatile boolean done = true;
    private volatile boolean stopped;
    private volatile Thread waiter;
    private Throwable failure;

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    void assign(Runnable r) {
      failure = null;
      done = false;
      task = r;
      LockSupport.unpark(this);
    }

    /** Waits until the task finished; returns what it threw, if anything. */
    Throwable awaitDone() {
      long start = System.nanoTime();
      while (!done) {
        if (System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          waiter = Thread.currentThread();
          if (!done) {
            LockSupport.parkNanos(this, 50_000);
          }
          waiter = null;
        }
      }
      return failure;
    }

    void shutdown() {
      stopped = true;
      LockSupport.unpark(this);
    }

    @Override
    public void run() {
      while (!stopped) {
        Runnable r = task;
        if (r == null) {
          long start = System.nanoTime();
          while ((r = task) == null && !stopped) {
            if (System.nanoTime() - start < SPIN_NANOS) {
              Thread.onSpinWait();
            } else {
              LockSupport.park(this);
            }
          }
          if (r == null) {
            return;
          }
        }
        try {
          r.run();
        } catch (Throwable t) {
          failure = t;
        }
        task = null;
        done = true;
        Thread w = waiter;
        if (w != null) {
          LockSupport.unpark(w);
        }
      }
    }
  }
}

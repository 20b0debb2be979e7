package dev.condense.data;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The threads that decode a streamed data set's files: a fixed number of daemon threads that end
 * after a second without work, so a data set nobody closes holds no thread and keeps no JVM alive.
 * A job maps indices {@code 0 .. n-1} to results, each thread taking one contiguous run of them;
 * its results do not depend on the number of threads, and when several fail the error of the
 * lowest index is the one reported, so a run fails the same way on 1 thread and on 16.
 */
final class DecodePool {
  private final int threads;
  private final ThreadPoolExecutor executor;

  DecodePool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("decode threads must be at least 1, got " + threads);
    }
    this.threads = threads;
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "condense-decode-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.executor = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    executor.allowCoreThreadTimeOut(true);
  }

  int threads() {
    return threads;
  }

  /** Starts computing {@code task(0 .. n-1)} in the background. */
  <T> Job<T> start(int n, IntFunction<T> task) {
    return new Job<>(n, task);
  }

  /** {@code task(0 .. n-1)}, computed on the pool; the lowest index's error if any fails. */
  <T> Object[] run(int n, IntFunction<T> task) {
    return start(n, task).await();
  }

  /** One mapping of indices to results, running or done. */
  final class Job<T> {
    private final Object[] results;
    private final Future<?>[] parts;
    private final RuntimeException[] errors;
    private final int[] errorAt;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    private Job(int n, IntFunction<T> task) {
      results = new Object[n];
      int k = Math.max(1, Math.min(threads, n));
      parts = new Future<?>[k];
      errors = new RuntimeException[k];
      errorAt = new int[k];
      for (int p = 0; p < k; p++) {
        int part = p;
        int from = (int) ((long) n * p / k);
        int to = (int) ((long) n * (p + 1) / k);
        parts[p] = executor.submit(() -> {
          for (int i = from; i < to && !cancelled.get(); i++) {
            try {
              results[i] = task.apply(i);
            } catch (RuntimeException e) {
              errors[part] = e;
              errorAt[part] = i;
              return;
            }
          }
        });
      }
    }

    /** The results, index by index, once all are computed; the lowest index's error if any failed. */
    Object[] await() {
      waitForParts();
      RuntimeException first = null;
      int at = Integer.MAX_VALUE;
      for (int p = 0; p < parts.length; p++) {
        if (errors[p] != null && errorAt[p] < at) {
          first = errors[p];
          at = errorAt[p];
        }
      }
      if (first != null) {
        throw first;
      }
      return results;
    }

    /** Stops the job after the images its threads are on, and waits for that, so it holds nothing after. */
    void cancel() {
      cancelled.set(true);
      waitForParts();
      java.util.Arrays.fill(results, null);
    }

    private void waitForParts() {
      boolean interrupted = false;
      for (Future<?> f : parts) {
        while (true) {
          try {
            f.get();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          } catch (ExecutionException e) {
            throw new IllegalStateException("decode thread failed", e.getCause());
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

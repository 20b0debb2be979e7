package dev.condense.cli;

import dev.condense.engine.Progress;
import java.io.PrintStream;

/**
 * Progress on the terminal: a bar with percentage, ETA and a status suffix, redrawn in place at
 * most ten times a second. When stderr is not a terminal (logs, CI) only the summary line of each
 * finished task is printed, so logs stay readable.
 */
final class ConsoleProgress implements Progress {
  private static final int WIDTH = 28;

  private final PrintStream err;
  private final boolean interactive;
  private String task = "";
  private long total;
  private long startNanos;
  private long lastDraw;
  private int lastLength;

  ConsoleProgress(PrintStream err, boolean interactive) {
    this.err = err;
    this.interactive = interactive;
  }

  /** Progress for a CLI run: nothing when quiet, a bar on a terminal, summaries otherwise. */
  static Progress forRun(boolean quiet) {
    return quiet ? Progress.NONE : new ConsoleProgress(System.err, System.console() != null);
  }

  @Override
  public void start(String task, long total) {
    this.task = task;
    this.total = Math.max(1, total);
    this.startNanos = System.nanoTime();
    this.lastDraw = 0;
  }

  @Override
  public void update(long done, String status) {
    if (!interactive) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < 100_000_000L && done < total) {
      return;
    }
    lastDraw = now;
    double frac = Math.min(1, (double) done / total);
    int filled = (int) Math.round(frac * WIDTH);
    double elapsed = (now - startNanos) / 1e9;
    double eta = done > 0 ? elapsed * (total - done) / done : 0;
    String line = String.format("%s [%s%s] %d/%d %3.0f%% %s ETA %s %s", task, "=".repeat(filled),
        " ".repeat(WIDTH - filled), done, total, 100 * frac, time(elapsed), time(eta), status);
    draw(line);
  }

  @Override
  public void finish(String summary) {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    String line = task + " done in " + time(elapsed) + (summary.isEmpty() ? "" : ": " + summary);
    if (interactive) {
      draw(line);
      err.println();
      lastLength = 0;
    } else {
      err.println(line);
    }
  }

  private void draw(String line) {
    String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
    err.print("\r" + line + pad);
    err.flush();
    lastLength = line.length();
  }

  static String time(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }
}

package dev.condense.plan;

import dev.condense.AtomicFile;
import dev.condense.CondenseException;
import dev.condense.IoErrors;
import dev.condense.graph.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link LatencyTable}'s layer times on disk, one file per model, timer setting and batch: the
 * file is named by the model's {@link LayerModels#shapeHash shape hash} (its layer shapes, not
 * its weights: a retrained model of the same shapes reads the same file), the timer's
 * {@link LayerTimer#setting()} (runtime and thread count) and the batch. Each line is one layer
 * signature and its median milliseconds, so a second run of the same model and settings times
 * nothing, and a run that needs more counts (a lower floor) times only what is missing and
 * rewrites the file with both (atomically). The directory is the caller's: nothing is global.
 */
public final class LatencyCache {
  private static final String HEADER = "# condense latency table: median ms per run of one layer, then its signature";

  private final Path file;

  private LatencyCache(Path file) {
    this.file = file;
  }

  /** The cache of {@code model}'s layers timed by a timer of {@code setting} at {@code batch}, in {@code dir}. */
  public static LatencyCache in(Path dir, Model model, String setting, int batch) {
    String name = model.graph().name().replaceAll("[^A-Za-z0-9.-]", "_");
    String s = setting.replaceAll("[^A-Za-z0-9.-]", "_");
    return new LatencyCache(dir.resolve(String.format(Locale.ROOT, "%s%s%s-%s-b%d.tsv", name, name.isEmpty() ? "" : "-",
        LayerModels.shapeHash(model), s, batch)));
  }

  public Path file() {
    return file;
  }

  /** The times stored so far (none if the file does not exist); a damaged file is refused, naming it and the line. */
  public Map<String, Double> read() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new CondenseException("latency cache " + file + ": " + IoErrors.reason(e));
    }
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank() || l.startsWith("#")) {
        continue;
      }
      int tab = l.indexOf('\t');
      double ms = -1;
      try {
        ms = tab < 0 ? -1 : Double.parseDouble(l.substring(0, tab));
      } catch (NumberFormatException e) {
        ms = -1;
      }
      if (!(ms >= 0) || Double.isInfinite(ms)) {
        throw new CondenseException("latency cache " + file + " line " + (i + 1)
            + ": expected 'MS<tab>SIGNATURE'; delete the file to time the layers again");
      }
      out.put(l.substring(tab + 1), ms);
    }
    return out;
  }

  /** Stores {@code times} (all of them, old and new), creating the directory if needed. */
  public void write(Map<String, Double> times) {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    times.forEach((sig, ms) -> b.append(String.format(Locale.ROOT, "%.6f\t%s%n", ms, sig)));
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new CondenseException("latency cache directory " + file.getParent() + ": " + IoErrors.reason(e));
    }
    AtomicFile.write(file, b.toString());
  }
}

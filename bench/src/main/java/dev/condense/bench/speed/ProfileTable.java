package dev.condense.bench.speed;

import static dev.condense.bench.speed.TrainProfile.f;

import dev.condense.engine.cpu.OpProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Markdown tables {@link TrainProfile} prints: by op kind, then the top nodes. */
final class ProfileTable {
  private ProfileTable() {}

  static String render(TrainProfile.Options o, String blas, double peak, OpProfile p, long wallNanos) {
    long steps = Math.max(1, p.steps());
    StringBuilder sb = new StringBuilder();
    sb.append(f("### %s, batch %d, %d threads (%s)%n%n", o.model(), o.batch(), o.threads(), blas));
    sb.append(f("%d measured steps after %d warm-up steps: %.1f ms per step, %.0f images/s. "
        + "sgemm peak (1024³, one product per thread at once): %.1f GFLOP/s.%n%n",
        p.steps(), o.warmup(), wallNanos / 1e6 / steps, o.batch() * steps / (wallNanos / 1e9), peak));
    List<OpProfile.Row> rows = p.rows();
    Map<String, OpProfile.Row> kinds = new LinkedHashMap<>();
    long timed = 0;
    for (OpProfile.Row r : rows) {
      timed += r.nanos();
      kinds.merge(r.kind(), r, (a, b) -> new OpProfile.Row("", a.kind(), a.calls() + b.calls(),
          a.forwardNanos() + b.forwardNanos(), a.backwardNanos() + b.backwardNanos(),
          perCall(a) + perCall(b), perCallBack(a) + perCallBack(b)));
    }
    List<OpProfile.Row> byKind = new ArrayList<>(kinds.values());
    byKind.add(new OpProfile.Row("", "(untimed: step loop)", steps, wallNanos - timed, 0, 0, 0));
    byKind.sort(Comparator.comparingLong(OpProfile.Row::nanos).reversed());
    sb.append("| op kind | share | ms/step | fwd ms | bwd ms | fwd GFLOP/s | bwd GFLOP/s | % of peak |\n");
    sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (OpProfile.Row r : byKind) {
      sb.append(line(r.kind(), r, wallNanos, steps, peak));
    }
    List<OpProfile.Row> nodes = new ArrayList<>(rows.stream().filter(r -> !r.node().isEmpty()).toList());
    nodes.sort(Comparator.comparingLong(OpProfile.Row::nanos).reversed());
    sb.append(f("%n| node (top %d) | share | ms/step | fwd ms | bwd ms | fwd GFLOP/s | bwd GFLOP/s | %% of peak |%n", o.top()));
    sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (OpProfile.Row r : nodes.subList(0, Math.min(o.top(), nodes.size()))) {
      sb.append(line(r.node(), r, wallNanos, steps, peak));
    }
    return sb.append('\n').toString();
  }

  /** Multiply-adds per step of a node row (per call × calls / steps), kept in the merged row. */
  private static long perCall(OpProfile.Row r) {
    return r.node().isEmpty() ? r.forwardMultiplyAdds() : r.forwardMultiplyAdds() * r.calls();
  }

  private static long perCallBack(OpProfile.Row r) {
    return r.node().isEmpty() ? r.backwardMultiplyAdds() : r.backwardMultiplyAdds() * r.calls();
  }

  private static String line(String name, OpProfile.Row r, long wall, long steps, double peak) {
    long fMacs = perCall(r);
    long bMacs = perCallBack(r);
    double fw = r.forwardNanos() / 1e6 / steps;
    double bw = r.backwardNanos() / 1e6 / steps;
    String fg = fMacs == 0 ? "" : f("%.1f", 2.0 * fMacs / Math.max(1, r.forwardNanos()));
    String bg = bMacs == 0 ? "" : f("%.1f", 2.0 * bMacs / Math.max(1, r.backwardNanos()));
    String pk = fMacs + bMacs == 0 ? "" : f("%.0f%%", 100 * 2.0 * (fMacs + bMacs) / Math.max(1, r.nanos()) / peak);
    return f("| %s | %.1f%% | %.2f | %.2f | %.2f | %s | %s | %s |%n", name.replace("|", "/"),
        100.0 * r.nanos() / wall, fw + bw, fw, bw, fg, bg, pk);
  }
}

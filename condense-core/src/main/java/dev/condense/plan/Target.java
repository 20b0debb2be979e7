package dev.condense.plan;

import dev.condense.CondenseException;
import java.util.Locale;

/**
 * What a compressed model must reach, as the share of the original it keeps: {@code macs=0.5}
 * is half the multiply-adds (2× fewer), {@code params=0.25} a quarter of the parameters,
 * {@code latency=0.5} half the measured latency.
 *
 * @param measure what is counted
 * @param fraction the share of the original's count the result may keep, in (0, 1)
 */
public record Target(Measure.Kind measure, double fraction) {

  public Target {
    if (!(fraction > 0 && fraction < 1)) {
      throw new CondenseException("target " + measure.key() + "=" + fraction + " must keep a share in (0, 1) of the original");
    }
  }

  /** Reads {@code KIND=FRACTION} (kinds: macs, params, latency, size); errors name {@code option}. */
  public static Target parse(String text, String option) {
    int eq = text.indexOf('=');
    Measure.Kind kind = eq < 0 ? null : Measure.Kind.parse(text.substring(0, eq).trim());
    if (kind == null) {
      throw new CondenseException(option + " " + text + ": expected KIND=FRACTION with KIND one of "
          + Measure.Kind.keys() + " (for example macs=0.5 for 2x fewer multiply-adds)");
    }
    double f;
    try {
      f = Double.parseDouble(text.substring(eq + 1).trim());
    } catch (NumberFormatException e) {
      throw new CondenseException(option + " " + text + ": '" + text.substring(eq + 1).trim() + "' is not a number");
    }
    if (!(f > 0 && f < 1)) {
      throw new CondenseException(option + " " + text + ": the share kept must be in (0, 1), e.g. " + kind.key() + "=0.5");
    }
    return new Target(kind, f);
  }

  @Override
  public String toString() {
    return measure.key() + "=" + String.format(Locale.ROOT, "%s", fraction);
  }
}

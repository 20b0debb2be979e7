package dev.condense.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the command line in-process: exit status, stdout and stderr. */
record CliRun(int status, String out, String err) {
  /** The "top1" of a successful {@code eval --json} run, the run's stderr shown where it failed. */
  static double top1(CliRun r) {
    org.assertj.core.api.Assertions.assertThat(r.status()).as(r.err()).isZero();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"top1\"\\s*:\\s*([0-9.]+)").matcher(r.out());
    org.assertj.core.api.Assertions.assertThat(m.find()).as(r.out()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Cli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}

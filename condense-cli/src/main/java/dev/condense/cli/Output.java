package dev.condense.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.Map;

/** Where a command's results go: human-readable text, or one JSON document with {@code --json}. */
final class Output {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final boolean quiet;

  Output(picocli.CommandLine cli, CommonOptions common) {
    this.out = cli.getOut();
    this.err = cli.getErr();
    this.json = common.json;
    this.quiet = common.quiet;
  }

  /** A warning: on standard error, in every mode (it must not be missed, nor break the JSON). */
  void warn(String s) {
    err.println("warning: " + s);
    err.flush();
  }

  /** A line of human output (suppressed in JSON mode). */
  void line(String s) {
    if (!json) {
      out.println(s);
      out.flush();
    }
  }

  /** Commentary that --quiet also suppresses. */
  void note(String s) {
    if (!json && !quiet) {
      out.println(s);
    }
  }

  /** The JSON result (printed only in JSON mode). */
  void result(Map<String, Object> doc) {
    if (json) {
      try {
        out.println(JSON.writeValueAsString(doc));
        out.flush();
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

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
  private final boolean json;
  private final boolean quiet;

  Output(PrintWriter out, CommonOptions common) {
    this.out = out;
    this.json = common.json;
    this.quiet = common.quiet;
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

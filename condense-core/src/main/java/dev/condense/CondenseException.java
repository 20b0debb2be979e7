package dev.condense;

/**
 * An error the user can act on: a bad file, an unsupported op, a shape that does not fit, a
 * nonsense option. The message is one line that names the file, node, section or option; the
 * CLI prints it without a stack trace and exits with status 1.
 */
public class CondenseException extends RuntimeException {
  public CondenseException(String message) {
    super(message);
  }

  public CondenseException(String message, Throwable cause) {
    super(message, cause);
  }
}

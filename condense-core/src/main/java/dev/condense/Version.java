package dev.condense;

/** The Condense version written into files it produces. */
public final class Version {
  public static final String VERSION = "0.1.0";

  private Version() {}
}

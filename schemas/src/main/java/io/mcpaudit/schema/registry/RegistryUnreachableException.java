package io.mcpaudit.schema.registry;

import java.net.URI;

/** The registry could not be reached at all (refused, timed out, TLS failure). */
public final class RegistryUnreachableException extends SchemaRegistryException {
  private final URI url;

  public RegistryUnreachableException(URI url, Throwable cause) {
    super("schema registry at " + url + " is unreachable (" + describe(cause) + ")", cause);
    this.url = url;
  }

  public URI url() {
    return url;
  }

  /**
   * Whether {@code failure} (or one of its causes) is this: the registry being away is not the
   * record's fault, so callers retry instead of dead-lettering.
   */
  public static boolean isCauseOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RegistryUnreachableException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable cause) {
    String kind = cause.getClass().getSimpleName();
    String message = cause.getMessage();
    if (kind.equals("ConnectException")) {
      return "connection refused";
    }
    if (kind.equals("HttpConnectTimeoutException") || kind.equals("HttpTimeoutException")) {
      return "timed out";
    }
    return message == null || message.isBlank() ? kind : kind + ": " + message;
  }
}

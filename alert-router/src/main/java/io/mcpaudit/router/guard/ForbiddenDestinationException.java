package io.mcpaudit.router.guard;

/** A destination the router refuses to call: not https, or its host resolves to an internal address. */
public final class ForbiddenDestinationException extends Exception {
  public ForbiddenDestinationException(String message) {
    super(message);
  }
}

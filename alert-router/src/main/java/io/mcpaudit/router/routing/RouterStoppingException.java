package io.mcpaudit.router.routing;

/**
 * The router was asked to stop while a page was still being retried. The page's pending ledger
 * entry was removed (its last attempt failed, so nothing was delivered); the caller must not
 * commit the alert's offset, so the next run pages it.
 */
public final class RouterStoppingException extends RuntimeException {
  public RouterStoppingException(String message) {
    super(message);
  }
}

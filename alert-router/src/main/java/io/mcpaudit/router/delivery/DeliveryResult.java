package io.mcpaudit.router.delivery;

/**
 * How one page's delivery ended.
 *
 * @param httpStatus the last HTTP status received, 0 when no response came
 * @param detail     what happened, for people (secrets already redacted)
 */
public record DeliveryResult(Status status, int attempts, int httpStatus, String detail) {
  public enum Status {
    /** The destination accepted the page (2xx). */
    DELIVERED,
    /** A permanent failure: 4xx other than 429, a redirect, a TLS failure, or a refused destination. */
    REJECTED,
    /** Retryable failures until the attempts or the retry budget ran out. */
    EXHAUSTED,
    /** The router is stopping; the last attempt failed and no more will be made. */
    STOPPED
  }

  public boolean delivered() {
    return status == Status.DELIVERED;
  }
}

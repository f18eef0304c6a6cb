package io.mcpaudit.router.routing;

import java.util.Optional;

/**
 * What the router did with an alert for one destination, for the CLI to print and logs to keep.
 *
 * @param subject the alert's headline, or the storm page's summary
 * @param source  where the alert was read ({@code topic/partition@offset} or {@code file:line})
 */
public record RoutingOutcome(Kind kind, String subject, String dedupKey, String source, Optional<String> route,
                             Optional<String> destination, String detail) {
  public enum Kind {
    /** A page went out and was accepted. */
    SENT,
    /** Not sent: this destination was already paged for the dedup key within the window. */
    SUPPRESSED,
    /** Held for the route's storm page. */
    GROUPED,
    /** Could not be delivered; dead-lettered. */
    FAILED,
    /** A previous router stopped while sending it; not repeated, dead-lettered. */
    UNKNOWN,
    /** No route matched. */
    UNROUTED
  }

  /** One line: {@code sent      pagerduty-secops  route critical  [HIGH] token-reuse: … (HTTP 202)}. */
  public String describe() {
    return describe(false);
  }

  /** The same line; for a dry run, {@code would send} instead of {@code sent}. */
  public String describe(boolean dryRun) {
    String kindText = dryRun && kind == Kind.SENT ? "would send" : kind.name().toLowerCase(java.util.Locale.ROOT);
    return String.format("%-10s %-20s %-20s %s%s", kindText, destination.orElse("-"), route.map(r -> "route " + r)
        .orElse("-"), subject, detail.isEmpty() ? "" : "  (" + detail + ")");
  }
}

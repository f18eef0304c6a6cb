package io.mcpaudit.router.destination;

import io.mcpaudit.router.config.DestinationConfig;
import io.mcpaudit.router.config.Endpoint;
import java.time.Instant;

/** A paging system the router can send pages to: turns a page into that vendor's request format. */
public interface Destination {
  DestinationConfig config();

  default String name() {
    return config().name();
  }

  default Endpoint endpoint() {
    return config().endpoint();
  }

  /**
   * The request for one attempt at delivering {@code page}. Called again for each retry, so
   * attempt-time values (the webhook signature's timestamp) are always fresh.
   */
  OutgoingRequest render(Page page, Instant attemptTime);

  /** Text with this destination's secret values replaced: for anything logged or stored. */
  default String redact(String text) {
    String out = endpoint().redact(text);
    for (var secret : config().secrets()) {
      out = secret.redact(out);
    }
    return out;
  }
}

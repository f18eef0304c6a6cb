package io.mcpaudit.router.delivery;

import io.mcpaudit.router.destination.Destination;
import io.mcpaudit.router.destination.Page;

/** Sends a page to a destination and says how it went; {@link HttpDelivery} is the real one. */
@FunctionalInterface
public interface Delivery {
  DeliveryResult deliver(Destination destination, Page page);

  /** Sends nothing and reports success: for trying a configuration's routing decisions. */
  static Delivery dryRun() {
    return (destination, page) -> new DeliveryResult(DeliveryResult.Status.DELIVERED, 0, 0, "dry run, not sent");
  }
}

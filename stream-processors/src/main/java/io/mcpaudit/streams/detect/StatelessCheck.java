package io.mcpaudit.streams.detect;

import io.mcpaudit.event.Alert;
import java.util.List;

/** A detection that needs nothing but the event and the inventory (token audience, token lifetime, inventory match). */
public interface StatelessCheck {
  String name();

  List<Alert> check(Detected input, DetectionContext context);
}

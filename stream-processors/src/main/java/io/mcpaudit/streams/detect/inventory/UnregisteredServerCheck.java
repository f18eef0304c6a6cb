package io.mcpaudit.streams.detect.inventory;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.ServerLaunched;
import io.mcpaudit.event.SessionStarted;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.event.ToolsListed;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.DetectorSpec;
import io.mcpaudit.streams.detect.DetectionContext;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.StatelessCheck;
import io.mcpaudit.streams.detect.token.Audiences;
import java.util.List;
import java.util.Optional;

/**
 * {@code unregistered-server}: traffic to a server missing from the approved inventory, or a
 * local server launched with another command or executable than the inventory expects, or a
 * remote server reached at another URL. Quiet when no inventory is configured at all.
 */
public final class UnregisteredServerCheck implements StatelessCheck {
  private final DetectorSpec spec;

  public UnregisteredServerCheck(DetectorSpec spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "unregistered-server";
  }

  @Override
  public List<Alert> check(Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    Object payload = event.getPayload();
    boolean telling = payload instanceof SessionStarted || payload instanceof ServerLaunched
        || payload instanceof ToolsListed || payload instanceof ToolCallRequested;
    if (!telling || !context.hasInventory()) {
      return List.of();
    }
    String name = event.getServer().getName();
    Optional<InventoryEntry> entry = context.inventory(name);
    if (entry.isEmpty()) {
      return List.of(AlertDraft.of(spec, event)
          .title("Server '" + name + "' is not in the approved inventory")
          .description("Traffic to an MCP server nobody registered: shadow AI, or a server installed outside review."
              + (event.getServer().getUrl() != null ? " URL: " + event.getServer().getUrl() + "." : "")
              + (event.getServer().getCommand() != null ? " Command: " + String.join(" ", event.getServer().getCommand())
              + "." : ""))
          .excerpt(name)
          .dedupAcrossSessions("unregistered|" + name + "|" + event.getSessionId())
          .attribute("server", name)
          .build());
    }
    InventoryEntry expected = entry.get();
    if (payload instanceof ServerLaunched launch) {
      if (expected.getExpectedCommand() != null && !expected.getExpectedCommand().equals(launch.getCommand())) {
        return List.of(mismatch(event, "launch command", String.join(" ", expected.getExpectedCommand()),
            String.join(" ", launch.getCommand())));
      }
      if (expected.getExecutableSha256() != null && launch.getExecutableSha256() != null
          && !expected.getExecutableSha256().equalsIgnoreCase(launch.getExecutableSha256())) {
        return List.of(mismatch(event, "executable SHA-256", expected.getExecutableSha256(),
            launch.getExecutableSha256()));
      }
    }
    String url = event.getServer().getUrl();
    if (expected.getUrl() != null && url != null
        && !Audiences.normalize(expected.getUrl()).equals(Audiences.normalize(url))) {
      return List.of(mismatch(event, "URL", expected.getUrl(), url));
    }
    return List.of();
  }

  private Alert mismatch(AuditEvent event, String what, String expected, String observed) {
    return AlertDraft.of(spec, event)
        .title("Server '" + event.getServer().getName() + "' differs from its inventory entry (" + what + ")")
        .description("The inventory expects " + what + " '" + expected + "' but the agent saw '" + observed
            + "'. A changed binary or command is how a local server is compromised.")
        .excerpt(what + ": " + observed)
        .dedupAcrossSessions("changed|" + event.getServer().getName() + "|" + what + "|" + observed)
        .attribute("expected", expected)
        .attribute("observed", observed)
        .build();
  }
}

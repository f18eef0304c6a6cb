package io.mcpaudit.streams.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.RiskTier;
import io.mcpaudit.event.ServerLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryFileTest {
  @Test
  void theShippedExampleInventoryIsValid() {
    Path shipped = Path.of(System.getProperty("mcpaudit.repo.root", ".."), "deploy", "inventory", "inventory.yml");

    List<InventoryEntry> entries = InventoryFile.read(shipped);

    assertThat(entries).extracting(InventoryEntry::getName).containsExactly("files", "github", "everything");
    InventoryEntry github = entries.get(1);
    assertThat(github.getLocation()).isEqualTo(ServerLocation.REMOTE);
    assertThat(github.getRiskTier()).isEqualTo(RiskTier.HIGH);
    assertThat(github.getAllowedScopes()).containsExactly("repo:read", "issues:write");
    assertThat(entries.get(0).getReadOnly()).isTrue();
  }

  @Test
  void everyProblemIsReportedWithItsEntry(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("inventory.yml");
    Files.writeString(file, """
        servers:
          - name: a
            owner: team
            location: orbit
            risk_tier: high
          - name: b
            location: remote
            risk_tier: low
            colour: blue
          - name: a
            owner: team
            location: local
            risk_tier: low
        """);

    assertThatThrownBy(() -> InventoryFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("servers[1] (a): 'location' must be one of local, remote, got 'orbit'")
        .hasMessageContaining("servers[2] (b): unknown key 'colour'")
        .hasMessageContaining("servers[2] (b): 'owner' is required")
        .hasMessageContaining("servers[2] (b): a remote server needs its 'url'")
        .hasMessageContaining("servers[3] (a): server 'a' is listed twice");
  }
}

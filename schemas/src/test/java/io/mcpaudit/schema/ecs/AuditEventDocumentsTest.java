package io.mcpaudit.schema.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.ToolAnnotations;
import io.mcpaudit.event.ToolDefinition;
import io.mcpaudit.event.ToolsListed;
import io.mcpaudit.schema.SampleEvents;
import io.mcpaudit.schema.chain.EventHashChain;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditEventDocumentsTest {
  @Test
  void aToolCallBecomesAnEcsDocumentWithTheOpenTelemetryMcpNames() {
    AuditEvent event = new EventHashChain().link(SampleEvents.toolCall("s1", "read_file", "{\"path\":\"/a\"}"));

    Map<String, Object> doc = AuditEventDocuments.toDocument(event);

    assertThat(doc).containsEntry("@timestamp", "2026-11-20T10:00:00.120Z");
    assertThat(field(doc, "event.id")).isEqualTo(event.getEventId());
    assertThat(field(doc, "event.action")).isEqualTo("tool-call-requested");
    assertThat(field(doc, "event.sequence")).isEqualTo(1L);
    assertThat(field(doc, "mcp.session.id")).isEqualTo("s1");
    assertThat(field(doc, "mcp.method.name")).isEqualTo("tools/call");
    assertThat(field(doc, "mcp.transport")).isEqualTo("stdio");
    assertThat(field(doc, "gen_ai.tool.name")).isEqualTo("read_file");
    assertThat(field(doc, "jsonrpc.request.id")).isEqualTo("1");
    assertThat(field(doc, "mcp.tool.arguments")).isEqualTo("{\"path\":\"/a\"}");
    assertThat(field(doc, "user.name")).isEqualTo("alice");
    assertThat(field(doc, "user_agent.name")).isEqualTo("claude-code");
    assertThat(field(doc, "server.name")).isEqualTo("files");
    // Absent facts are absent, not null: analysts' "exists" queries stay meaningful.
    assertThat(field(doc, "client.address")).isNull();
    assertThat((Map<?, ?>) doc.get("client")).isNull();
  }

  @Test
  void aToolListKeepsEachToolWholeAndFlatListsForMatching() {
    AuditEvent base = SampleEvents.toolCall("s1", "x", "{}");
    AuditEvent listed = AuditEvent.newBuilder(base).setPayload(ToolsListed.newBuilder()
        .setJsonRpcId("2")
        .setTools(List.of(
            ToolDefinition.newBuilder().setName("read_file").setDescription("Read a file")
                .setAnnotations(ToolAnnotations.newBuilder().setReadOnlyHint(true).build())
                .setDefinitionHash("a".repeat(64)).build(),
            ToolDefinition.newBuilder().setName("delete_file").setDescription("Delete a file")
                .setDefinitionHash("b".repeat(64)).build()))
        .build()).build();

    Map<String, Object> doc = AuditEventDocuments.toDocument(listed);

    assertThat(field(doc, "gen_ai.tool.name")).isEqualTo(List.of("read_file", "delete_file"));
    assertThat(field(doc, "mcp.tool.description")).isEqualTo(List.of("Read a file", "Delete a file"));
    assertThat((List<?>) field(doc, "mcp.tools")).hasSize(2).first()
        .satisfies(tool -> assertThat(field(cast(tool), "annotations.read_only_hint")).isEqualTo(true));
  }

  @Test
  void aFieldCannotNestUnderAScalar() {
    EcsDocument doc = new EcsDocument().put("process.executable", "/usr/bin/node");

    assertThatThrownBy(() -> doc.put("process.executable.hash", "x"))
        .hasMessageContaining("process.executable");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }

  static Object field(Map<String, Object> doc, String dotted) {
    Object node = doc;
    for (String part : dotted.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(part);
    }
    return node;
  }
}

package io.mcpaudit.schema;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.ClientIdentity;
import io.mcpaudit.event.RedactedText;
import io.mcpaudit.event.ServerIdentity;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.event.Transport;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Realistic events for tests. */
public final class SampleEvents {
  private SampleEvents() {}

  public static AuditEvent toolCall(String session, String tool, String argumentsJson) {
    return AuditEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setEventTime(Instant.parse("2026-11-20T10:00:00.120Z"))
        .setAgentId("agent-test")
        .setSequence(0)
        .setPreviousHash("")
        .setHash("")
        .setSessionId(session)
        .setTransport(Transport.STDIO)
        .setServer(ServerIdentity.newBuilder()
            .setName("files")
            .setCommand(List.of("npx", "-y", "@modelcontextprotocol/server-filesystem", "/srv/docs"))
            .build())
        .setClient(ClientIdentity.newBuilder().setUser("alice").setAgent("claude-code").build())
        .setPayload(ToolCallRequested.newBuilder()
            .setJsonRpcId("1")
            .setToolName(tool)
            .setArguments(RedactedText.newBuilder()
                .setText(argumentsJson)
                .setSha256("0".repeat(64))
                .setOriginalBytes(argumentsJson.length())
                .build())
            .setArgumentsSha256("0".repeat(64))
            .build())
        .build();
  }
}

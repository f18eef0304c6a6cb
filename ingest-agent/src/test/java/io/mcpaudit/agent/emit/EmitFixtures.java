package io.mcpaudit.agent.emit;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.ClientIdentity;
import io.mcpaudit.event.ServerIdentity;
import io.mcpaudit.event.SessionEnded;
import io.mcpaudit.event.Transport;
import io.mcpaudit.schema.chain.EventHashChain;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the delivery tests share: a port nothing listens on, and small hash-chained events. */
final class EmitFixtures {
  private EmitFixtures() {}

  /** A loopback port that was free a moment ago: connecting to it is refused. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** {@code count} events of one session, ids {@code e0…}, linked by the agent's hash chain. */
  static List<AuditEvent> events(int count) {
    EventHashChain chain = new EventHashChain();
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(chain.link(AuditEvent.newBuilder()
          .setEventId("e" + i).setEventTime(Instant.EPOCH).setAgentId("a").setSequence(0).setPreviousHash("")
          .setHash("").setSessionId("s").setTransport(Transport.STDIO)
          .setServer(ServerIdentity.newBuilder().setName("files").build())
          .setClient(ClientIdentity.newBuilder().build())
          .setPayload(SessionEnded.newBuilder().setReason("r" + i).build())
          .build()));
    }
    return events;
  }
}

package io.mcpaudit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsTest {

  @TempDir
  Path runDir;

  @Test
  void aTakenPortIsNamedWithItsServer() throws Exception {
    try (ServerSocket taken = listening()) {
      assertThat(Ports.busy(taken.getLocalPort(), "Kafka 4.3.1")).contains("port " + taken.getLocalPort()
          + " for Kafka 4.3.1 is already in use on 127.0.0.1; stop what holds it or choose another port");
    }
  }

  @Test
  void aFreePortIsNotReported() throws Exception {
    int port = Ports.free(1).get(0);
    assertThat(Ports.busy(port, "Kafka")).isEmpty();
  }

  @Test
  void freePortsAreDistinct() throws Exception {
    List<Integer> ports = Ports.free(6);
    assertThat(new HashSet<>(ports)).hasSize(6);
  }

  @Test
  void startRefusesABusyConfiguredPortBeforeFetchingOrStartingAnything() throws Exception {
    try (ServerSocket taken = listening()) {
      LocalStackConfig config = LocalStackConfig.at(runDir).withPorts(0, taken.getLocalPort(), 0)
          .withMaven(Path.of("/nonexistent/mvn"));

      assertThatThrownBy(() -> LocalStack.start(config, line -> {}))
          .isInstanceOf(StackException.class)
          .hasMessageContaining("port " + taken.getLocalPort() + " for Apicurio Registry")
          .hasMessageContaining("already in use");
    }
    assertThat(runDir.resolve(StackState.FILE)).doesNotExist();
  }

  private static ServerSocket listening() throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(Ports.HOST), 0));
    return socket;
  }
}

package io.mcpaudit.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Loopback ports for the servers: free ones picked by the kernel, and a clear word when a chosen one is taken. */
final class Ports {

  static final String HOST = "127.0.0.1";

  private Ports() {}

  /** {@code count} distinct free ports; all are held open together so that no two picks collide. */
  static List<Integer> free(int count) throws StackException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        held.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        ports.add(socket.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new StackException("cannot find free ports on " + HOST + ": " + e.getMessage(), e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the port is released either way once the socket object is gone
        }
      }
    }
  }

  /** Empty when {@code port} can be bound on loopback, else the problem worded for the user. */
  static Optional<String> busy(int port, String server) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("port " + port + " for " + server + " is already in use on " + HOST
          + "; stop what holds it or choose another port");
    }
  }
}

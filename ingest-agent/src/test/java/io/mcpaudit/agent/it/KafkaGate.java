package io.mcpaudit.agent.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bootstrap address in front of a real Kafka broker that a test can shut and open. While shut it
 * hangs up on every connection, so a client that has not reached Kafka yet finds it unreachable;
 * once open it relays to the broker. (A client that has bootstrapped talks to the broker's advertised
 * address directly, so the gate makes an outage only for clients that started during it, which is
 * the situation these tests are about.)
 */
final class KafkaGate implements AutoCloseable {
  private final String host;
  private final int port;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean open;

  /** @param broker the broker's bootstrap address, {@code host:port} */
  KafkaGate(String broker) throws IOException {
    String first = broker.split(",")[0].trim();
    this.host = first.substring(0, first.lastIndexOf(':'));
    this.port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "kafka-gate");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The address to give clients as {@code kafka.bootstrap}. */
  String bootstrap() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  void open() {
    open = true;
  }

  void shut() {
    open = false;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (!open) {
          client.close();
          continue;
        }
        Socket broker = new Socket(host, port);
        sockets.add(client);
        sockets.add(broker);
        relay(client.getInputStream(), broker.getOutputStream(), broker);
        relay(broker.getInputStream(), client.getOutputStream(), client);
      } catch (IOException e) {
        // the gate was closed, or one connection failed: the client sees it as Kafka does not answer
      }
    }
  }

  private static void relay(InputStream from, OutputStream to, Socket toSocket) {
    Thread thread = new Thread(() -> {
      try {
        from.transferTo(to);
      } catch (IOException ignored) {
        // one side hung up
      } finally {
        try {
          toSocket.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }, "kafka-gate-relay");
    thread.setDaemon(true);
    thread.start();
  }
}

package io.mcpaudit.stack;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a server whether it serves requests yet; short timeouts, so a hung server reads as not ready. */
final class Probes {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private static final short API_VERSIONS = 18;

  private Probes() {}

  static boolean answers200(URI uri) {
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Sends a Kafka ApiVersions request (v0, the one every broker answers). A KRaft broker only processes
   * requests once it has caught up with the metadata log and is unfenced, so an answer means it serves.
   */
  static boolean kafkaAnswers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(Ports.HOST, port), (int) TIMEOUT.toMillis());
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      byte[] clientId = "mcp-audit-stack".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      int correlationId = 0x6d637061;
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(2 + 2 + 4 + 2 + clientId.length);
      out.writeShort(API_VERSIONS);
      out.writeShort(0);
      out.writeInt(correlationId);
      out.writeShort(clientId.length);
      out.write(clientId);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int size = in.readInt();
      return size >= 6 && in.readInt() == correlationId;
    } catch (IOException e) {
      return false;
    }
  }
}

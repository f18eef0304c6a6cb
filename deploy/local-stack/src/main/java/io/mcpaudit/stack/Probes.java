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
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Asks a server whether it serves requests yet; short timeouts, so a hung server reads as not ready. */
final class Probes {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private static final short API_VERSIONS = 18;
  private static final SSLContext ANY_CERTIFICATE = trustingAnyCertificate();
  private static final HttpClient HTTPS_ANY_CERTIFICATE = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .sslContext(ANY_CERTIFICATE).build();

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
   * Whether a GET over TLS gets {@code status}. Any certificate is accepted: the probe sends nothing
   * secret and only asks whether the server on a loopback port the stack chose serves yet.
   */
  static boolean answersOverTls(URI uri, int status) {
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
      return HTTPS_ANY_CERTIFICATE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status;
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
      return apiVersionsAnswered(socket);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The same request on a TLS listener. A SASL listener answers ApiVersions before any login, so the
   * probe needs no credentials; it trusts any certificate because it sends nothing secret and only
   * asks whether a Kafka serves on a loopback port the stack itself chose.
   */
  static boolean kafkaAnswersOverTls(int port) {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(Ports.HOST, port), (int) TIMEOUT.toMillis());
      plain.setSoTimeout((int) TIMEOUT.toMillis());
      try (SSLSocket socket = (SSLSocket) ANY_CERTIFICATE.getSocketFactory()
          .createSocket(plain, Ports.HOST, port, false)) {
        socket.startHandshake();
        return apiVersionsAnswered(socket);
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean apiVersionsAnswered(Socket socket) throws IOException {
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
  }

  private static SSLContext trustingAnyCertificate() {
    X509TrustManager any = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {any}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK offers no TLS: " + e.getMessage(), e);
    }
  }
}

package io.mcpaudit.reliability.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and a server (broker or node) certificate for {@code 127.0.0.1}, made with the
 * JDK's {@code keytool} (no OpenSSL): a PKCS12 key store for the broker and a PKCS12 trust store
 * holding only the authority, which the broker and every client trust. Valid for two days.
 *
 * @param keyStore   the broker's private key and its chain (broker certificate, then the authority)
 * @param trustStore the authority's certificate
 * @param password   the password of both stores (and of the key)
 * @param subject    the broker certificate's subject
 */
record TestAuthority(Path keyStore, Path trustStore, String password, String subject) {

  static final String BROKER_SUBJECT = "CN=localhost,OU=kafka,O=mcp-audit reliability tests";

  static TestAuthority create(Path dir, String password) throws IOException, InterruptedException {
    return create(dir, password, BROKER_SUBJECT);
  }

  /** As {@link #create(Path, String)}, for a server certificate with this subject. */
  static TestAuthority create(Path dir, String password, String subject) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path ca = dir.resolve("ca.p12");
    Path broker = dir.resolve("broker.p12");
    Path trust = dir.resolve("truststore.p12");
    for (Path old : List.of(ca, broker, trust, dir.resolve("broker.csr"), dir.resolve("broker.crt"),
        dir.resolve("ca.crt"))) {
      Files.deleteIfExists(old);
    }
    String[] ec = {"-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"};
    keytool(dir, password, concat(List.of("-genkeypair", "-alias", "ca", "-dname", "CN=mcp-audit test CA",
        "-ext", "bc:c", "-keystore", ca.toString(), "-storetype", "PKCS12"), ec));
    keytool(dir, password, concat(List.of("-genkeypair", "-alias", "broker", "-dname", subject,
        "-keystore", broker.toString(), "-storetype", "PKCS12"), ec));
    keytool(dir, password, List.of("-certreq", "-alias", "broker", "-keystore", broker.toString(),
        "-file", "broker.csr"));
    // Clients check that the certificate names the address they dialled; the broker also presents
    // it as a client certificate to its own controller listener.
    keytool(dir, password, List.of("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-infile", "broker.csr",
        "-outfile", "broker.crt", "-validity", "2", "-rfc", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
        "-ext", "EKU=serverAuth,clientAuth"));
    keytool(dir, password, List.of("-exportcert", "-alias", "ca", "-keystore", ca.toString(), "-rfc",
        "-file", "ca.crt"));
    // The chain reply is accepted only once the store trusts its issuer; the trusted entry goes again after.
    keytool(dir, password, List.of("-importcert", "-alias", "ca", "-file", "ca.crt", "-keystore", broker.toString(),
        "-noprompt"));
    keytool(dir, password, List.of("-importcert", "-alias", "broker", "-file", "broker.crt",
        "-keystore", broker.toString(), "-noprompt"));
    keytool(dir, password, List.of("-delete", "-alias", "ca", "-keystore", broker.toString()));
    keytool(dir, password, List.of("-importcert", "-alias", "ca", "-file", "ca.crt", "-keystore", trust.toString(),
        "-storetype", "PKCS12", "-noprompt"));
    return new TestAuthority(broker, trust, password, subject);
  }

  private static void keytool(Path dir, String password, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(args);
    command.addAll(List.of("-storepass:env", "MCP_AUDIT_TEST_STORE_PASSWORD"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("MCP_AUDIT_TEST_STORE_PASSWORD", password);
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + output);
    }
  }

  private static List<String> concat(List<String> a, String[] b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(List.of(b));
    return all;
  }

  /** A random password or secret for a test login (URL-safe base64, 24 characters). */
  static String secret() {
    byte[] bytes = new byte[18];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}

package io.mcpaudit.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kafka as a deployment runs it: clients connect over TLS only and log in with SCRAM-SHA-512, and
 * the standard authorizer denies whatever no ACL allows. The stack creates the SCRAM users when it
 * formats Kafka's storage; granting them ACLs is up to the caller, as {@link #admin()}.
 *
 * @param keyStore           PKCS12 key store with the broker's one private key and certificate chain; the
 *                           certificate must name {@code 127.0.0.1} (IP subject alternative name), because
 *                           clients check it, and must allow client authentication too (the broker presents
 *                           it to its own controller, which requires a client certificate)
 * @param keyStorePassword   the key store's password, also the key's (as keytool makes PKCS12 stores)
 * @param trustStore         PKCS12 trust store with the certificate authority that signed the broker's
 *                           certificate; the broker and every client trust it
 * @param trustStorePassword the trust store's password
 * @param admin              the super user, which may do anything (create topics, grant ACLs); the broker
 *                           also uses it for its connections to itself
 * @param users              further SCRAM users, with no rights until ACLs grant them some
 */
public record KafkaSecurity(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
                            ScramUser admin, List<ScramUser> users) {

  /** The only SASL mechanism the secured broker offers. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  /** Kafka's store and JAAS parsers take these safely: no quotes, backslashes, commas or blanks. */
  private static final Pattern SAFE_PASSWORD = Pattern.compile("[\\x21-\\x7e&&[^\"\\\\,\\[\\]']]{8,128}");
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

  /**
   * A SCRAM-SHA-512 login.
   *
   * @param name     the user name, which is also the ACL principal {@code User:<name>}
   * @param password at least 8 printable ASCII characters, without quotes, backslashes, commas or brackets
   */
  public record ScramUser(String name, String password) {
    public ScramUser {
      if (name == null || !SAFE_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("a Kafka user name must be 1-128 letters, digits, '.', '_', '@' or '-',"
            + " starting with a letter or digit; not " + (name == null ? "null" : "'" + name + "'"));
      }
      if (password == null || !SAFE_PASSWORD.matcher(password).matches()) {
        throw new IllegalArgumentException("the password of Kafka user " + name + " must be 8-128 printable ASCII"
            + " characters without blanks, quotes, backslashes, commas or brackets");
      }
    }

    /** The ACL principal, {@code User:<name>}. */
    public String principal() {
      return "User:" + name;
    }

    @Override
    public String toString() {
      return "ScramUser[" + name + "]";
    }
  }

  public KafkaSecurity {
    if (keyStore == null || trustStore == null) {
      throw new IllegalArgumentException("a secured Kafka needs both a key store and a trust store");
    }
    keyStore = keyStore.toAbsolutePath().normalize();
    trustStore = trustStore.toAbsolutePath().normalize();
    requireStorePassword("key store " + keyStore, keyStorePassword);
    requireStorePassword("trust store " + trustStore, trustStorePassword);
    if (admin == null) {
      throw new IllegalArgumentException("a secured Kafka needs an administrator (super user)");
    }
    users = List.copyOf(users == null ? List.of() : users);
    Set<String> names = new HashSet<>();
    for (ScramUser u : all(admin, users)) {
      if (!names.add(u.name())) {
        throw new IllegalArgumentException("Kafka user " + u.name() + " is listed twice");
      }
    }
  }

  /** The administrator and every other user. */
  public List<ScramUser> allUsers() {
    return all(admin, users);
  }

  /** The user called {@code name}, administrator included. */
  public ScramUser user(String name) {
    return allUsers().stream().filter(u -> u.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no Kafka user " + name + " in this stack"));
  }

  /**
   * What a Kafka client needs besides {@code bootstrap.servers} to connect as {@code user}: TLS that
   * trusts the stack's authority (host name checked) and a SCRAM-SHA-512 login.
   */
  public Map<String, Object> clientConfig(ScramUser user) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("security.protocol", "SASL_SSL");
    config.put("sasl.mechanism", MECHANISM);
    config.put("sasl.jaas.config", jaasLogin(user));
    config.put("ssl.truststore.type", "PKCS12");
    config.put("ssl.truststore.location", trustStore.toString());
    config.put("ssl.truststore.password", trustStorePassword);
    return Map.copyOf(config);
  }

  /** {@link #clientConfig(ScramUser)} for the user called {@code name}. */
  public Map<String, Object> clientConfig(String name) {
    return clientConfig(user(name));
  }

  static String jaasLogin(ScramUser user) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user.name()
        + "\" password=\"" + user.password() + "\";";
  }

  @Override
  public String toString() {
    return "KafkaSecurity[keyStore=" + keyStore + ", trustStore=" + trustStore + ", admin=" + admin.name()
        + ", users=" + users.stream().map(ScramUser::name).toList() + "]";
  }

  private static List<ScramUser> all(ScramUser admin, List<ScramUser> users) {
    List<ScramUser> all = new ArrayList<>();
    all.add(admin);
    all.addAll(users);
    return List.copyOf(all);
  }

  private static void requireStorePassword(String what, String password) {
    if (password == null || password.length() < 6 || password.chars().anyMatch(c -> c < 0x21 || c > 0x7e || c == '\\')) {
      throw new IllegalArgumentException("the password of the " + what
          + " must be at least 6 printable ASCII characters without blanks or backslashes");
    }
  }
}

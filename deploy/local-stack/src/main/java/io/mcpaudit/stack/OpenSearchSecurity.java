package io.mcpaudit.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * OpenSearch as a deployment runs it: the security plugin (the build matching the node's version,
 * from Maven Central) with TLS on HTTP and transport, logins checked against its internal user
 * database, and only the roles a deployment defines. The stack installs the plugin into a private
 * copy of the distribution, writes the node's configuration and the security configuration, and
 * lets the plugin load it into its index at first start.
 *
 * @param keyStore           PKCS12 key store with the node's one private key and certificate chain; the
 *                           certificate must name {@code 127.0.0.1} (clients check it) and allow client
 *                           authentication too (the node presents it on its transport layer)
 * @param keyStorePassword   the key store's password, also the key's
 * @param trustStore         PKCS12 trust store with the authority that signed the node's certificate
 * @param trustStorePassword the trust store's password
 * @param securityConfig     folder with the deployment's {@code roles.yml} and {@code roles_mapping.yml}
 *                           (the plugin's format); other security files get the stack's defaults
 * @param admin              a user with the plugin's {@code all_access} role (map it in roles_mapping.yml)
 * @param users              further internal users, with the roles roles_mapping.yml gives them
 */
public record OpenSearchSecurity(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
                                 Path securityConfig, User admin, List<User> users) {

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
  private static final Pattern SAFE_PASSWORD = Pattern.compile("[\\x21-\\x7e&&[^\"\\\\']]{8,128}");

  /**
   * An internal user (HTTP basic login).
   *
   * @param name         the login name, also what roles_mapping.yml lists under {@code users}
   * @param password     8-128 printable ASCII characters without blanks, quotes or backslashes
   * @param backendRoles what roles_mapping.yml may list under {@code backend_roles}
   */
  public record User(String name, String password, List<String> backendRoles) {
    public User {
      if (name == null || !SAFE_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("an OpenSearch user name must be 1-128 letters, digits, '.', '_', '@' or"
            + " '-', starting with a letter or digit; not " + (name == null ? "null" : "'" + name + "'"));
      }
      if (password == null || !SAFE_PASSWORD.matcher(password).matches()) {
        throw new IllegalArgumentException("the password of OpenSearch user " + name + " must be 8-128 printable"
            + " ASCII characters without blanks, quotes or backslashes");
      }
      backendRoles = List.copyOf(backendRoles == null ? List.of() : backendRoles);
      for (String role : backendRoles) {
        if (!SAFE_NAME.matcher(role).matches()) {
          throw new IllegalArgumentException("backend role '" + role + "' of OpenSearch user " + name
              + " must be 1-128 letters, digits, '.', '_', '@' or '-'");
        }
      }
    }

    @Override
    public String toString() {
      return "User[" + name + ", backendRoles=" + backendRoles + "]";
    }
  }

  public OpenSearchSecurity {
    if (keyStore == null || trustStore == null || securityConfig == null) {
      throw new IllegalArgumentException("a secured OpenSearch needs a key store, a trust store and a security"
          + " configuration folder");
    }
    keyStore = keyStore.toAbsolutePath().normalize();
    trustStore = trustStore.toAbsolutePath().normalize();
    securityConfig = securityConfig.toAbsolutePath().normalize();
    if (keyStorePassword == null || keyStorePassword.length() < 6 || trustStorePassword == null
        || trustStorePassword.length() < 6) {
      throw new IllegalArgumentException("the key and trust store passwords must have at least 6 characters");
    }
    if (admin == null) {
      throw new IllegalArgumentException("a secured OpenSearch needs an administrator");
    }
    users = List.copyOf(users == null ? List.of() : users);
    Set<String> names = new HashSet<>();
    for (User u : allUsers(admin, users)) {
      if (!names.add(u.name())) {
        throw new IllegalArgumentException("OpenSearch user " + u.name() + " is listed twice");
      }
    }
  }

  /** The administrator and every other user. */
  public List<User> allUsers() {
    return allUsers(admin, users);
  }

  private static List<User> allUsers(User admin, List<User> users) {
    List<User> all = new ArrayList<>();
    all.add(admin);
    all.addAll(users);
    return List.copyOf(all);
  }

  @Override
  public String toString() {
    return "OpenSearchSecurity[keyStore=" + keyStore + ", trustStore=" + trustStore + ", securityConfig="
        + securityConfig + ", admin=" + admin.name() + ", users=" + users.stream().map(User::name).toList() + "]";
  }
}

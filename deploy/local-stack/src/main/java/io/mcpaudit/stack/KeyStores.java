package io.mcpaudit.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reading the PKCS12 stores a secured server is given, with errors that name the server and the file. */
final class KeyStores {

  private KeyStores() {}

  /** @param owner whose store it is, for messages: {@code Kafka's}, {@code OpenSearch's} */
  static KeyStore load(Path file, String password, String owner, String what) throws StackException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new StackException("cannot open " + owner + " " + what + " " + file + " as PKCS12 with its password ("
          + e.getMessage() + ")", e);
    }
  }

  /** The subject (RFC 2253) of the certificate of the store's one private key. */
  static String subjectOfOnlyKey(Path file, String password, String owner) throws StackException {
    KeyStore keys = load(file, password, owner, "key store");
    try {
      List<String> keyAliases = new ArrayList<>();
      for (String alias : Collections.list(keys.aliases())) {
        if (keys.isKeyEntry(alias)) {
          keyAliases.add(alias);
        }
      }
      if (keyAliases.size() != 1) {
        throw new StackException(owner + " key store " + file + " must hold exactly one private key;"
            + " it holds " + keyAliases.size());
      }
      if (!(keys.getCertificate(keyAliases.get(0)) instanceof X509Certificate cert)) {
        throw new StackException("the private key in " + file + " has no X.509 certificate");
      }
      return cert.getSubjectX500Principal().getName();
    } catch (GeneralSecurityException e) {
      throw new StackException("cannot read " + owner + " key store " + file + ": " + e.getMessage(), e);
    }
  }
}

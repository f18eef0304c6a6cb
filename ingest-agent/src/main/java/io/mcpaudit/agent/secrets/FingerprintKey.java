package io.mcpaudit.agent.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * The secret key token fingerprints are computed with. One deployment shares one key
 * so that the same token gives the same fingerprint on every agent; without the key a
 * fingerprint cannot be tested against guessed tokens.
 *
 * <p>The key file holds 32 random bytes as base64. When it does not exist it is
 * created with owner-only permissions (0600) inside a 0700 folder.
 */
public final class FingerprintKey {
  private static final int KEY_BYTES = 32;

  private final byte[] key;

  private FingerprintKey(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("a fingerprint key must have at least 16 bytes, got " + key.length);
    }
    this.key = key.clone();
  }

  /** A key given directly as base64 (for instance from MCP_AUDIT_SECRETS_FINGERPRINT_KEY). */
  public static FingerprintKey fromBase64(String base64) {
    try {
      return new FingerprintKey(Base64.getDecoder().decode(base64.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the fingerprint key is not valid base64 of at least 16 bytes", e);
    }
  }

  /** Reads the key file, creating it (0600) with a new random key on first use. */
  public static FingerprintKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        create(file);
      } catch (FileAlreadyExistsException raced) {
        // Another agent created it at the same moment: use theirs.
      }
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    try {
      return fromBase64(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the fingerprint key file " + file + " does not hold a base64 key of at least"
          + " 16 bytes; fix it or delete it to have a new key made (fingerprints then change)", e);
    }
  }

  private static void create(Path file) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (folder != null && !Files.isDirectory(folder)) {
      if (posix) {
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(folder);
      }
    }
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    Arrays.fill(key, (byte) 0);
    if (posix) {
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
      Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
      // createFile applies the umask; set the mode explicitly so it is exactly 0600.
      Files.setPosixFilePermissions(file, ownerOnly);
      Files.write(file, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } else {
      Files.write(file, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
  }

  byte[] bytes() {
    return key.clone();
  }

  @Override
  public String toString() {
    return "FingerprintKey[hidden]";
  }
}

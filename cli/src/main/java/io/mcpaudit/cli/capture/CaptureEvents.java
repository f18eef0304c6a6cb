package io.mcpaudit.cli.capture;

import io.mcpaudit.agent.capture.CaptureProblem;
import io.mcpaudit.agent.capture.CaptureReplay;
import io.mcpaudit.agent.secrets.CredentialRedactor;
import io.mcpaudit.agent.secrets.FingerprintKey;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.agent.secrets.TokenFingerprinter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Reads a capture file into audit events through the agent's own event path, reporting unusable
 * lines (with their numbers) without stopping. Raw bearer tokens in hand-written captures are
 * fingerprinted with the deployment's key when one exists (so fingerprints match live traffic),
 * else with a key made for this run only.
 */
public final class CaptureEvents {
  private CaptureEvents() {}

  public static CaptureReplay.Result read(Path capture, Path keyFile, PrintWriter err) throws IOException {
    FingerprintKey key = keyFile != null && Files.isReadable(keyFile) ? FingerprintKey.loadOrCreate(keyFile)
        : ephemeralKey();
    CaptureReplay replay = new CaptureReplay("capture:" + capture.getFileName(), new TokenFingerprinter(key),
        new TextRedaction(new CredentialRedactor(), TextRedaction.DEFAULT_MAX_BYTES));
    CaptureReplay.Result result;
    try (InputStream in = Files.newInputStream(capture)) {
      result = replay.replay(in);
    } catch (NoSuchFileException e) {
      throw new IOException("capture " + capture + " does not exist", e);
    }
    for (CaptureProblem problem : result.problems()) {
      err.println(capture + ":" + problem.lineNumber() + ": skipped: " + problem.reason());
    }
    err.flush();
    return result;
  }

  private static FingerprintKey ephemeralKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return FingerprintKey.fromBase64(Base64.getEncoder().encodeToString(key));
  }
}

package io.mcpaudit.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Running OpenSearch when the launcher is root: OpenSearch refuses to start as root, so it runs as
 * the unprivileged uid/gid 65534 ("nobody"), which must be able to reach every folder it uses.
 */
final class Unprivileged {

  static final int ID = 65534;

  private Unprivileged() {}

  static boolean launcherIsRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** Prefix that drops root for the command after it. */
  static List<String> commandPrefix() {
    return List.of("setpriv", "--reuid=" + ID, "--regid=" + ID, "--clear-groups");
  }

  /** Whether uid 65534 can walk down to {@code dir}: every folder on the way must let it search. */
  static boolean canReach(Path dir) {
    for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !searchable(p)) {
        return false;
      }
    }
    return true;
  }

  private static boolean searchable(Path dir) {
    try {
      int mode = (Integer) Files.getAttribute(dir, "unix:mode");
      int uid = (Integer) Files.getAttribute(dir, "unix:uid");
      int gid = (Integer) Files.getAttribute(dir, "unix:gid");
      int bit = uid == ID ? 0100 : gid == ID ? 0010 : 0001;
      return (mode & bit) != 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * A folder for a run's OpenSearch files that uid 65534 can reach, for run folders it cannot
   * (the default one under /root is such a folder).
   */
  static Path reachableFolderFor(Path runDir) {
    String id = ServerProcess.marker("opensearch", runDir).replaceAll(".*@", "");
    return Path.of("/var/tmp", "mcp-audit-stack", id);
  }

  /** Removes that folder and the run folder's link to it, so that stopped stacks leave nothing outside their run folder. */
  static void removeReachableFolderOf(Path runDir) throws IOException {
    Path link = runDir.resolve("opensearch");
    if (Files.isSymbolicLink(link)) {
      Files.delete(link);
    }
    FileTrees.delete(reachableFolderFor(runDir));
  }
}

package io.mcpaudit.stack;

import java.util.List;

/**
 * An official server distribution on Maven Central.
 *
 * @param name      short name, also the cache folder prefix
 * @param version   the server version
 * @param title     what the user reads, e.g. {@code OpenSearch 2.19.6}
 * @param kind      how Maven turns it into a runnable folder
 * @param artifacts Maven coordinates: the archive to unpack (further archives are unpacked into a folder named
 *                  after their artifact id), or the jars whose runtime closure makes up the classpath
 */
record Distribution(String name, String version, String title, Kind kind, List<String> artifacts) {

  enum Kind {
    /** One archive ({@code zip}, {@code tar.gz}) unpacked as it is. */
    ARCHIVE,
    /** Jars copied with their runtime dependencies into {@code libs/}. */
    CLASSPATH
  }

  Distribution {
    artifacts = List.copyOf(artifacts);
  }

  String folderName() {
    return name + "-" + version;
  }
}

package io.mcpaudit.stack;

import java.nio.file.Path;

/**
 * Everything one server needs to start in a run folder.
 *
 * @param runDir       the stack's run folder
 * @param workDir      this server's folder inside it (configuration, data)
 * @param distribution the unpacked distribution in the cache; read-only
 * @param jdk          the JDK to run it with
 * @param port         the port clients use
 * @param internalPort a second port for the server's own traffic (Kafka controller, OpenSearch transport)
 * @param log          console log file, appended to
 * @param marker       JVM argument that identifies the process as this server of this stack
 * @param restart      start again on the data a previous run of this server left (after a crash
 *                     or a stop), instead of on a clean slate
 */
record Launch(Path runDir, Path workDir, Path distribution, Jdk jdk, int port, int internalPort, Path log, String marker,
              boolean restart) {}

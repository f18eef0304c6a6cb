package io.mcpaudit.stack;

import java.nio.file.Path;

/**
 * How one server of a local stack is doing right now.
 *
 * @param name          {@code kafka}, {@code schema-registry} or {@code opensearch}
 * @param pid           the process id recorded when it was started
 * @param alive         the process still runs and is still that server (not a recycled pid)
 * @param ready         it answers its readiness request
 * @param endpoint      where clients reach it
 * @param log           its console log
 * @param residentBytes resident memory of the process, 0 when unknown or not alive
 */
public record ComponentStatus(
    String name, long pid, boolean alive, boolean ready, String endpoint, Path log, long residentBytes) {}

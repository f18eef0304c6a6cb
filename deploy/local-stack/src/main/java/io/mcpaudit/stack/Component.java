package io.mcpaudit.stack;

/** One server the stack runs: where its distribution comes from, which Java it needs, how it starts, when it serves. */
interface Component {

  /** Short name used in the state file, folders and logs: {@code kafka}, {@code schema-registry}, {@code opensearch}. */
  String name();

  /** What the user reads, with the version: {@code Kafka 4.3.1}. */
  String title();

  Distribution distribution();

  JdkRange jdks();

  /** Writes its configuration into a fresh work folder and starts the server; does not wait for it. */
  Process launch(Launch launch) throws StackException;

  boolean ready(int port);

  /** Where clients reach it, as they write it in their configuration. */
  String endpoint(int port);
}

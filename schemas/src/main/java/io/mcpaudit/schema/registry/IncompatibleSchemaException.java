package io.mcpaudit.schema.registry;

/** The registry refused a schema because it breaks the subject's compatibility rule (HTTP 409). */
public final class IncompatibleSchemaException extends SchemaRegistryException {
  private final String subject;

  public IncompatibleSchemaException(String subject, String registryMessage, int errorCode) {
    super("schema for subject '" + subject + "' is incompatible with its registered versions"
        + (registryMessage == null || registryMessage.isBlank() ? "" : ": " + registryMessage), 409, errorCode);
    this.subject = subject;
  }

  public String subject() {
    return subject;
  }
}

package io.mcpaudit.schema.registry;

/** The registry does not know the schema id, subject or version that was asked for. */
public final class SchemaNotFoundException extends SchemaRegistryException {
  public SchemaNotFoundException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode);
  }
}

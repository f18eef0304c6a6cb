package io.mcpaudit.rules.yaml;

/** One document of a (possibly multi-document) YAML file, with the line it starts on. */
public record YamlDocument(YamlNode root, int line) {
}

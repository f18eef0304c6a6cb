package io.mcpaudit.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The server versions the stack runs, as the parent pom set them when this module was built. */
record StackVersions(String kafka, String apicurio, String openSearch, String log4j, String dependencyPlugin) {

  private static final String RESOURCE = "stack-versions.properties";

  static StackVersions bundled() {
    try (InputStream in = StackVersions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the local-stack jar; rebuild the module");
      }
      Properties p = new Properties();
      p.load(in);
      return new StackVersions(
          required(p, "kafka"), required(p, "apicurio"), required(p, "opensearch"),
          required(p, "log4j"), required(p, "dependency-plugin"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key, "").trim();
    if (value.isEmpty() || value.startsWith("${")) {
      throw new IllegalStateException(RESOURCE + " has no value for '" + key + "'; the build did not filter it");
    }
    return value;
  }
}

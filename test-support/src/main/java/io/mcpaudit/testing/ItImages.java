package io.mcpaudit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The container images the Testcontainers provider runs, as the parent pom set them when this module was built. */
record ItImages(String kafka, String schemaRegistry, String openSearch) {

  private static final String RESOURCE = "it-images.properties";

  static ItImages bundled() {
    try (InputStream in = ItImages.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the test-support jar; rebuild the module");
      }
      Properties p = new Properties();
      p.load(in);
      return new ItImages(p.getProperty("kafka"), p.getProperty("schema-registry"), p.getProperty("opensearch"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.mcpaudit.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaRegistryConfigTest {
  @Test
  void readsConfluentStyleKeys() {
    SchemaRegistryConfig config = SchemaRegistryConfig.fromProperties(Map.of(
        "schema.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7/, http://other:8081",
        "basic.auth.user.info", "svc:s3cret",
        "schema.registry.request.timeout.ms", "2500"));

    assertThat(config.baseUrl()).hasToString("http://127.0.0.1:8081/apis/ccompat/v7");
    assertThat(config.basicAuthUserInfo()).contains("svc:s3cret");
    assertThat(config.requestTimeout().toMillis()).isEqualTo(2500);
  }

  @Test
  void neverPrintsCredentials() {
    SchemaRegistryConfig basic = SchemaRegistryConfig.fromProperties(Map.of(
        "schema.registry.url", "https://registry", "basic.auth.user.info", "svc:s3cret"));
    SchemaRegistryConfig bearer = SchemaRegistryConfig.fromProperties(Map.of(
        "schema.registry.url", "https://registry", "bearer.auth.token", "eyJhbGciOi.secret.token"));

    assertThat(basic.toString()).contains("svc").doesNotContain("s3cret");
    assertThat(bearer.toString()).contains("bearer token").doesNotContain("eyJhbGciOi");
  }

  @Test
  void explainsEachBadSetting() {
    assertThatThrownBy(() -> SchemaRegistryConfig.fromProperties(Map.of()))
        .hasMessage("schema.registry.url is required");
    assertThatThrownBy(() -> SchemaRegistryConfig.fromProperties(Map.of("schema.registry.url", "registry:8081")))
        .hasMessageContaining("must be an http:// or https:// URL");
    assertThatThrownBy(() -> SchemaRegistryConfig.fromProperties(Map.of(
        "schema.registry.url", "http://r", "basic.auth.user.info", "no-colon")))
        .hasMessage("basic.auth.user.info must be 'user:password'");
    assertThatThrownBy(() -> SchemaRegistryConfig.fromProperties(Map.of(
        "schema.registry.url", "http://r", "basic.auth.user.info", "a:b", "bearer.auth.token", "t")))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> SchemaRegistryConfig.fromProperties(Map.of(
        "schema.registry.url", "http://r", "schema.registry.ssl.truststore.location", "/nonexistent/ts.p12")))
        .hasMessageContaining("/nonexistent/ts.p12").hasMessageContaining("cannot be loaded");
  }
}

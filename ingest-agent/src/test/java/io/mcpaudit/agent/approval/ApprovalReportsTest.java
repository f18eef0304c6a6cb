package io.mcpaudit.agent.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.mcp.CanonicalJson;
import io.mcpaudit.agent.mcp.Hashes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApprovalReportsTest {
  private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
  private static final String HASH = "a".repeat(64);
  private final ApprovalReports reports = new ApprovalReports();

  private ApprovalReports.Parsed<ApprovalReports.Approval> approval(String json) {
    return reports.approval(json.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void aCompleteReportKeepsTheRequestIdAsJsonTextAndComputesTheDecisionTime() {
    ApprovalReports.Approval numeric = approval("{\"session\":\"s-1\",\"request_id\":7,\"tool\":\"write_file\","
        + "\"decision\":\"approved\",\"approver\":\"alice@example.com\",\"arguments_sha256\":\"" + HASH.toUpperCase()
        + "\",\"requested_at\":\"2026-11-20T09:59:58.500Z\",\"decided_at\":\"2026-11-20T10:00:00Z\"}").report();
    assertThat(numeric.requestIdJson()).isEqualTo("7");
    assertThat(numeric.approved()).isTrue();
    assertThat(numeric.argumentsSha256()).isEqualTo(HASH);
    assertThat(numeric.decidedInMs()).isEqualTo(1500L);
    assertThat(numeric.decidedAt()).isEqualTo(NOW);

    ApprovalReports.Approval text = approval("{\"request_id\":\"7\",\"tool\":\"t\",\"decision\":\"denied\","
        + "\"approver\":\"bob\",\"arguments\":{\"b\":2,\"a\":1},\"decided_in_ms\":42}").report();
    assertThat(text.requestIdJson()).isEqualTo("\"7\"");
    assertThat(text.approved()).isFalse();
    assertThat(text.session()).isNull();
    assertThat(text.decidedInMs()).isEqualTo(42L);
    // The same hash a ToolCallRequested carries for these arguments.
    assertThat(text.argumentsSha256()).isEqualTo(Hashes.sha256Hex(CanonicalJson.canonicalize(
        new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(java.util.Map.of("a", 1, "b", 2)))));
  }

  @Test
  void everyProblemIsReportedTogether() {
    ApprovalReports.Parsed<ApprovalReports.Approval> parsed = approval("{\"request_id\":1.5,\"tool\":\"\","
        + "\"decision\":\"maybe\",\"arguments_sha256\":\"xyz\",\"decided_in_ms\":-1,\"colour\":\"red\","
        + "\"decided_at\":\"2026-11-21T10:00:00Z\"}");
    assertThat(parsed.ok()).isFalse();
    assertThat(parsed.report()).isNull();
    assertThat(String.join("\n", parsed.problems()))
        .contains("request_id: must be a whole number or a non-empty string")
        .contains("tool: must be a non-empty string")
        .contains("approver: required")
        .contains("decision: must be \"approved\" or \"denied\", got \"maybe\"")
        .contains("arguments_sha256: must be 64 hexadecimal digits")
        .contains("decided_in_ms: must be a whole number")
        .contains("colour: unknown field")
        .contains("decided_at: lies in the future");
  }

  @Test
  void bodiesThatAreNotAJsonObjectOrHaveDuplicateKeysAreRefused() {
    assertThat(approval("").problems()).containsExactly("the body is empty; send a JSON object");
    assertThat(approval("[1]").problems()).containsExactly("the body must be a JSON object");
    assertThat(approval("{\"tool\":").problems().get(0)).startsWith("the body is not valid JSON");
    assertThat(approval("{\"request_id\":1,\"request_id\":2}").problems().get(0)).contains("Duplicate field");
    assertThat(approval("{\"request_id\":1,\"tool\":\"t\",\"decision\":\"approved\",\"approver\":\"a\","
        + "\"arguments_sha256\":\"" + HASH + "\",\"arguments\":{}}").problems())
        .containsExactly("arguments_sha256 and arguments: give one of them, not both");
  }

  @Test
  void scopeGrantsNeedScopeTokens() {
    ApprovalReports.ScopeGrant grant = reports.scopeGrant(("{\"session\":\"s\",\"granted\":[\"files:read\"],"
        + "\"requested\":[\"files:read\",\"files:write\"],\"resource\":\"https://mcp.example.com\"}")
        .getBytes(StandardCharsets.UTF_8)).report();
    assertThat(grant.granted()).containsExactly("files:read");
    assertThat(grant.requested()).containsExactly("files:read", "files:write");
    assertThat(grant.resource()).isEqualTo("https://mcp.example.com");

    assertThat(reports.scopeGrant("{}".getBytes(StandardCharsets.UTF_8)).problems())
        .containsExactly("granted: required, an array of scope strings such as [\"files:read\"]");
    assertThat(reports.scopeGrant("{\"granted\":[\"has space\"]}".getBytes(StandardCharsets.UTF_8)).problems().get(0))
        .contains("is not a scope token");
    assertThat(reports.scopeGrant("{\"granted\":[]}".getBytes(StandardCharsets.UTF_8)).problems().get(0))
        .contains("name at least one scope");
  }
}

package io.mcpaudit.schema.ecs;

import io.mcpaudit.event.ApprovalDecided;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.AuditGapReported;
import io.mcpaudit.event.ClientIdentity;
import io.mcpaudit.event.ElicitationRequested;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.PromptGet;
import io.mcpaudit.event.RedactedText;
import io.mcpaudit.event.ResourceRead;
import io.mcpaudit.event.SamplingRequested;
import io.mcpaudit.event.ScopeChanged;
import io.mcpaudit.event.ServerIdentity;
import io.mcpaudit.event.ServerLaunched;
import io.mcpaudit.event.SessionEnded;
import io.mcpaudit.event.SessionStarted;
import io.mcpaudit.event.TokenClaims;
import io.mcpaudit.event.TokenPresented;
import io.mcpaudit.event.ToolAnnotations;
import io.mcpaudit.event.ToolCallCompleted;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.event.ToolDefinition;
import io.mcpaudit.event.ToolsListed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps an {@link AuditEvent} to the ECS / OpenTelemetry-MCP shaped document that is indexed
 * in OpenSearch and that detection rules match on: one vocabulary for both, so a stateless
 * rule can also run as an OpenSearch query. The field list is documented in docs/schemas.md.
 */
public final class AuditEventDocuments {
  private AuditEventDocuments() {}

  public static Map<String, Object> toDocument(AuditEvent event) {
    EcsDocument doc = new EcsDocument()
        .put("@timestamp", event.getEventTime().toString())
        .put("event.id", event.getEventId())
        .put("event.kind", "event")
        .put("event.dataset", "mcp.audit")
        .put("event.action", action(event.getPayload()))
        .put("event.sequence", event.getSequence())
        .put("mcp.audit.agent_id", event.getAgentId())
        .put("mcp.audit.hash", event.getHash())
        .put("mcp.audit.previous_hash", event.getPreviousHash())
        .put("mcp.session.id", event.getSessionId())
        .put("mcp.transport", event.getTransport().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    server(doc, event.getServer());
    client(doc, event.getClient());
    payload(doc, event.getPayload());
    return doc.asMap();
  }

  /** {@code event.action}: the payload type in kebab case, e.g. {@code tool-call-requested}. */
  public static String action(Object payload) {
    String simple = payload.getClass().getSimpleName();
    return simple.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static void server(EcsDocument doc, ServerIdentity server) {
    doc.put("server.name", server.getName())
        .put("server.version", server.getVersion())
        .put("url.full", server.getUrl());
    if (server.getCommand() != null) {
      doc.put("server.command", String.join(" ", server.getCommand()));
    }
  }

  private static void client(EcsDocument doc, ClientIdentity client) {
    doc.put("client.address", client.getAddress())
        .put("user.name", client.getUser())
        .put("user_agent.name", client.getAgent())
        .put("user_agent.version", client.getAgentVersion());
  }

  private static void payload(EcsDocument doc, Object payload) {
    if (payload instanceof McpMessage m) {
      doc.put("mcp.direction", m.getDirection().name().toLowerCase(Locale.ROOT))
          .put("mcp.message.kind", m.getKind().name().toLowerCase(Locale.ROOT))
          .put("mcp.method.name", m.getMethod())
          .put("jsonrpc.request.id", m.getJsonRpcId())
          .put("mcp.protocol.version", m.getProtocolVersion())
          .put("mcp.result_type", m.getResultType())
          .put("mcp.message.size", m.getSizeBytes())
          .put("mcp.message.sha256", m.getSha256())
          .put("mcp.message.parse_error", m.getParseError())
          .put("mcp.message.batch_size", m.getBatchSize())
          .put("error.code", m.getErrorCode() == null ? null : m.getErrorCode().toString())
          .put("error.message", m.getErrorMessage());
    } else if (payload instanceof SessionStarted s) {
      doc.put("mcp.method.name", "initialize")
          .put("mcp.protocol.version", s.getProtocolVersion())
          .put("mcp.client.capabilities", s.getClientCapabilities())
          .put("mcp.server.capabilities", s.getServerCapabilities());
      flatRedacted(doc, "mcp.server.instructions", s.getInstructions());
    } else if (payload instanceof SessionEnded s) {
      doc.put("mcp.session.end_reason", s.getReason())
          .put("process.exit_code", s.getExitCode());
    } else if (payload instanceof ToolsListed t) {
      toolsListed(doc, t);
    } else if (payload instanceof ToolCallRequested t) {
      doc.put("mcp.method.name", "tools/call")
          .put("mcp.direction", "client_to_server")
          .put("jsonrpc.request.id", t.getJsonRpcId())
          .put("gen_ai.tool.name", t.getToolName())
          .put("mcp.tool.arguments_sha256", t.getArgumentsSha256());
      flatRedacted(doc, "mcp.tool.arguments", t.getArguments());
    } else if (payload instanceof ToolCallCompleted t) {
      doc.put("mcp.method.name", "tools/call")
          .put("mcp.direction", "server_to_client")
          .put("jsonrpc.request.id", t.getJsonRpcId())
          .put("gen_ai.tool.name", t.getToolName())
          .put("mcp.tool.is_error", t.getIsError())
          .put("mcp.duration_ms", t.getDurationMs())
          .put("error.code", t.getErrorCode() == null ? null : t.getErrorCode().toString())
          .put("error.message", t.getErrorMessage());
      redacted(doc, "mcp.content", t.getContent());
    } else if (payload instanceof ResourceRead r) {
      doc.put("mcp.method.name", "resources/read")
          .put("jsonrpc.request.id", r.getJsonRpcId())
          .put("mcp.resource.uri", r.getUri())
          .put("mcp.resource.mime_type", r.getMimeType())
          .put("mcp.duration_ms", r.getDurationMs());
      redacted(doc, "mcp.content", r.getContents());
    } else if (payload instanceof PromptGet p) {
      doc.put("mcp.method.name", "prompts/get")
          .put("jsonrpc.request.id", p.getJsonRpcId())
          .put("mcp.prompt.name", p.getName());
      redacted(doc, "mcp.prompt.arguments", p.getArguments());
      redacted(doc, "mcp.content", p.getMessages());
    } else if (payload instanceof SamplingRequested s) {
      doc.put("mcp.method.name", "sampling/createMessage")
          .put("mcp.direction", "server_to_client")
          .put("jsonrpc.request.id", s.getJsonRpcId())
          .put("mcp.sampling.include_context", s.getIncludeContext())
          .put("mcp.sampling.max_tokens", s.getMaxTokens());
      redacted(doc, "mcp.content", s.getMessages());
      redacted(doc, "mcp.sampling.system_prompt", s.getSystemPrompt());
    } else if (payload instanceof ElicitationRequested e) {
      doc.put("mcp.method.name", "elicitation/create")
          .put("mcp.direction", "server_to_client")
          .put("jsonrpc.request.id", e.getJsonRpcId())
          .put("mcp.elicitation.mode", e.getMode())
          .put("mcp.elicitation.url", e.getUrl())
          .put("mcp.elicitation.requested_schema", e.getRequestedSchema())
          .put("mcp.elicitation.action", e.getAction());
      redacted(doc, "mcp.content", e.getMessage());
    } else if (payload instanceof TokenPresented t) {
      doc.put("token.fingerprint", t.getFingerprint())
          .put("token.resource", t.getResource());
      claims(doc, t.getClaims());
    } else if (payload instanceof ScopeChanged s) {
      doc.put("mcp.scope.granted", s.getGranted())
          .put("mcp.scope.requested", s.getRequested())
          .put("mcp.scope.resource", s.getResource())
          .put("mcp.scope.challenge", s.getChallenge())
          .put("mcp.scope.metadata_url", s.getMetadataUrl())
          .put("http.response.status_code", s.getHttpStatus());
    } else if (payload instanceof ApprovalDecided a) {
      doc.put("mcp.approval.request_id", a.getRequestId())
          .put("jsonrpc.request.id", a.getRequestId())
          .put("gen_ai.tool.name", a.getTool())
          .put("mcp.approval.decision", a.getDecision().name().toLowerCase(Locale.ROOT))
          .put("mcp.approval.approver", a.getApprover())
          .put("mcp.approval.arguments_sha256", a.getArgumentsSha256())
          .put("mcp.approval.decided_in_ms", a.getDecidedInMs());
    } else if (payload instanceof ServerLaunched l) {
      doc.put("process.command_line", String.join(" ", l.getCommand()))
          .put("process.args", l.getCommand())
          .put("process.working_directory", l.getCwd())
          .put("process.executable", l.getExecutablePath())
          .put("process.hash.sha256", l.getExecutableSha256())
          .put("process.env_vars", l.getEnvNames())
          .put("process.pid", l.getPid());
    } else if (payload instanceof AuditGapReported g) {
      doc.put("mcp.audit.lost_events", g.getLostEvents())
          .put("mcp.audit.first_lost_sequence", g.getFirstLostSequence())
          .put("mcp.audit.gap_reason", g.getReason());
    }
  }

  private static void toolsListed(EcsDocument doc, ToolsListed listed) {
    doc.put("mcp.method.name", "tools/list")
        .put("mcp.direction", "server_to_client")
        .put("jsonrpc.request.id", listed.getJsonRpcId());
    List<String> names = new ArrayList<>();
    List<String> descriptions = new ArrayList<>();
    List<String> schemas = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    List<Map<String, Object>> tools = new ArrayList<>();
    for (ToolDefinition tool : listed.getTools()) {
      names.add(tool.getName());
      hashes.add(tool.getDefinitionHash());
      if (tool.getDescription() != null) {
        descriptions.add(tool.getDescription());
      }
      if (tool.getInputSchema() != null) {
        schemas.add(tool.getInputSchema());
      }
      EcsDocument one = new EcsDocument()
          .put("name", tool.getName())
          .put("title", tool.getTitle())
          .put("description", tool.getDescription())
          .put("input_schema", tool.getInputSchema())
          .put("definition_hash", tool.getDefinitionHash());
      annotations(one, tool.getAnnotations());
      tools.add(one.asMap());
    }
    // Flat lists let a rule or query match "any tool whose description …"; the objects keep each tool whole.
    doc.put("gen_ai.tool.name", names)
        .put("mcp.tool.description", descriptions)
        .put("mcp.tool.input_schema", schemas)
        .put("mcp.tool.definition_hash", hashes)
        .put("mcp.tools", tools);
  }

  private static void annotations(EcsDocument doc, ToolAnnotations annotations) {
    if (annotations == null) {
      return;
    }
    doc.put("annotations.title", annotations.getTitle())
        .put("annotations.read_only_hint", annotations.getReadOnlyHint())
        .put("annotations.destructive_hint", annotations.getDestructiveHint())
        .put("annotations.idempotent_hint", annotations.getIdempotentHint())
        .put("annotations.open_world_hint", annotations.getOpenWorldHint());
  }

  private static void claims(EcsDocument doc, TokenClaims claims) {
    if (claims == null) {
      return;
    }
    doc.put("token.claims.iss", claims.getIss())
        .put("token.claims.sub", claims.getSub())
        .put("token.claims.aud", claims.getAud())
        .put("token.claims.azp", claims.getAzp())
        .put("token.claims.client_id", claims.getClientId())
        .put("token.claims.scope", claims.getScope())
        .put("token.claims.iat", iso(claims.getIat()))
        .put("token.claims.exp", iso(claims.getExp()))
        .put("token.claims.nbf", iso(claims.getNbf()))
        .put("token.claims.jti", claims.getJti());
  }

  /** {@code prefix.text}, {@code prefix.sha256}, {@code prefix.bytes}, {@code prefix.truncated}, {@code prefix.redactions}. */
  private static void redacted(EcsDocument doc, String prefix, RedactedText text) {
    if (text == null) {
      return;
    }
    doc.put(prefix + ".text", text.getText())
        .put(prefix + ".sha256", text.getSha256())
        .put(prefix + ".bytes", text.getOriginalBytes())
        .put(prefix + ".truncated", text.getTruncated() ? Boolean.TRUE : null)
        .put(prefix + ".redactions", text.getRedactions());
  }

  /**
   * {@code name} holds the text itself, so rules and queries address it directly ({@code mcp.tool.arguments});
   * {@code name_bytes}, {@code name_truncated}, {@code name_redactions} describe it.
   */
  private static void flatRedacted(EcsDocument doc, String name, RedactedText text) {
    if (text == null) {
      return;
    }
    doc.put(name, text.getText())
        .put(name + "_bytes", text.getOriginalBytes())
        .put(name + "_truncated", text.getTruncated() ? Boolean.TRUE : null)
        .put(name + "_redactions", text.getRedactions());
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}

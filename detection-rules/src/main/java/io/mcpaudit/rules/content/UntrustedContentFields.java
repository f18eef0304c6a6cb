package io.mcpaudit.rules.content;

import io.mcpaudit.rules.event.DerivedFields;
import io.mcpaudit.rules.event.FieldPath;
import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import io.mcpaudit.rules.net.NetworkTarget;
import io.mcpaudit.rules.net.NetworkTargets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The derived fields over untrusted text: every untrusted text field is also matched in its
 * normalized form, the {@code *.hidden} fields list the hiding techniques found, and the
 * {@code mcp.target.*} fields list where tool arguments and resource URIs point.
 */
public final class UntrustedContentFields implements DerivedFields {
    /** Untrusted text fields, each matched raw and normalized. */
    public static final List<String> TEXT_FIELDS = List.of(
            "mcp.content.text", "mcp.tool.description", "mcp.tool.input_schema",
            "mcp.server.instructions", "mcp.tool.arguments", "mcp.resource.uri");

    /** Each derived hidden-findings field and the text fields it reports on. */
    public static final Map<String, List<String>> HIDDEN_FIELDS = Map.of(
            "mcp.content.hidden", List.of("mcp.content.text"),
            "mcp.tool.hidden", List.of("mcp.tool.description", "mcp.tool.input_schema"),
            "mcp.server.hidden", List.of("mcp.server.instructions"),
            "mcp.tool.arguments_hidden", List.of("mcp.tool.arguments"));

    /** Fields whose URLs, hosts and addresses become the {@code mcp.target.*} fields. */
    public static final List<String> TARGET_SOURCES = List.of("mcp.tool.arguments", "mcp.resource.uri");

    private static final Map<String, Function<NetworkTarget, Optional<String>>> TARGET_FIELDS = Map.of(
            "mcp.target.host", t -> Optional.of(t.host()),
            "mcp.target.ip", NetworkTarget::ip,
            "mcp.target.scheme", NetworkTarget::scheme,
            "mcp.target.encoding", NetworkTarget::encoding);

    private static final String NORMALIZED_MEMO = "content.normalized";
    private static final String TARGETS_MEMO = "content.targets";

    private final ContentNormalizer normalizer = new ContentNormalizer();
    private final NetworkTargets targets = new NetworkTargets();

    @Override
    public Optional<List<Object>> derive(String field, RuleEvent event) {
        List<String> sources = HIDDEN_FIELDS.get(field);
        if (sources != null) {
            Set<Object> findings = new LinkedHashSet<>();
            for (String source : sources) {
                for (String text : texts(source, event)) {
                    findings.addAll(normalized(text, event).findings());
                }
            }
            return Optional.of(new ArrayList<>(findings));
        }
        Function<NetworkTarget, Optional<String>> part = TARGET_FIELDS.get(field);
        if (part != null) {
            Set<Object> values = new LinkedHashSet<>();
            for (NetworkTarget t : targets(event)) {
                part.apply(t).ifPresent(values::add);
            }
            return Optional.of(new ArrayList<>(values));
        }
        return Optional.empty();
    }

    @Override
    public List<String> alternateForms(String field, String value, RuleEvent event) {
        if (!TEXT_FIELDS.contains(field)) {
            return List.of();
        }
        String text = normalized(value, event).text();
        return text.equals(value) ? List.of() : List.of(text);
    }

    /** The normalization of one text, computed once per event. */
    public NormalizedContent normalized(String text, RuleEvent event) {
        Map<String, NormalizedContent> cache = event.memo(NORMALIZED_MEMO, HashMap::new);
        return cache.computeIfAbsent(text, normalizer::normalize);
    }

    private List<NetworkTarget> targets(RuleEvent event) {
        return event.memo(TARGETS_MEMO, () -> {
            Set<NetworkTarget> found = new LinkedHashSet<>();
            for (String source : TARGET_SOURCES) {
                for (String text : texts(source, event)) {
                    found.addAll(targets.find(text));
                    String norm = normalized(text, event).text();
                    if (!norm.equals(text)) {
                        found.addAll(targets.find(norm));
                    }
                }
            }
            return List.copyOf(found);
        });
    }

    private static List<String> texts(String field, RuleEvent event) {
        List<String> out = new ArrayList<>();
        for (Object v : event.carried(FieldPath.of(field)).values()) {
            if (v != null) {
                out.add(ValueText.of(v));
            }
        }
        return out;
    }
}

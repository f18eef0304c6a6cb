package io.mcpaudit.rules.quality;

import java.util.List;
import java.util.Set;

/**
 * One labelled text of the detection-quality corpus: an attack of one stateless category, or
 * benign text, as it would appear in one document field.
 */
public record CorpusSample(String id, Split split, String label, String field, String text, String source, String file, int line) {

    /** The stateless content categories the corpus measures, in report order. */
    public static final List<String> ATTACK_LABELS = List.of(
            "prompt-injection", "tool-poisoning", "ssrf", "secret-exposure", "risky-launch");
    public static final String BENIGN = "benign";

    /** Fields a sample may be placed in. */
    public static final Set<String> FIELDS = Set.of(
            "mcp.content.text", "mcp.tool.description", "mcp.tool.input_schema", "mcp.server.instructions",
            "mcp.tool.arguments", "mcp.resource.uri", "process.command_line");

    /** dev: rules may be tuned against it; heldout: written before the rules were read, never tuned on. */
    public enum Split {
        DEV, HELDOUT;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean benign() {
        return BENIGN.equals(label);
    }

    public String where() {
        return file + ":" + line;
    }
}

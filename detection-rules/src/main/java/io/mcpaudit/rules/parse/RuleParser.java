package io.mcpaudit.rules.parse;

import io.mcpaudit.rules.RuleProblem;
import io.mcpaudit.rules.extension.McpAuditExtension;
import io.mcpaudit.rules.sigma.Detection;
import io.mcpaudit.rules.sigma.RuleDefinition;
import io.mcpaudit.rules.sigma.RuleMeta;
import io.mcpaudit.rules.sigma.SigmaRule;
import io.mcpaudit.rules.yaml.YamlDocument;
import io.mcpaudit.rules.yaml.YamlNode;
import io.mcpaudit.rules.yaml.YamlReader;
import io.mcpaudit.rules.yaml.YamlSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a rule file (one or more YAML documents) into rule definitions. Each document stands
 * alone: a broken one is reported and skipped, the others are still returned.
 */
public final class RuleParser {

    /** The definitions read from one file and the problems found in it. */
    public record Parsed(List<RuleDefinition> rules, List<RuleProblem> problems) {
        public Parsed {
            rules = List.copyOf(rules);
            problems = List.copyOf(problems);
        }
    }

    private final YamlReader yaml = new YamlReader();

    public Parsed parse(String file, String text) {
        Problems p = new Problems(file);
        List<YamlDocument> docs;
        try {
            docs = yaml.read(text, (key, line) -> p.add(line, "duplicate key '" + key + "': YAML keeps only the last one;"
                    + " give each selection/field its own key"));
        } catch (YamlSyntaxException e) {
            p.add(e.line(), "not valid YAML: " + e.getMessage());
            return new Parsed(List.of(), p.all());
        }
        List<RuleDefinition> rules = new ArrayList<>();
        if (docs.isEmpty()) {
            p.add(0, "file holds no rule");
        }
        for (YamlDocument doc : docs) {
            Problems docProblems = new Problems(file);
            document(doc, docProblems).ifPresent(r -> {
                if (docProblems.count() == 0) {
                    rules.add(r);
                }
            });
            docProblems.all().forEach(x -> p.add(x.line(), x.message()));
        }
        // Duplicate-key problems were recorded before documents were split; they stay file-level.
        return new Parsed(rules, p.all());
    }

    private Optional<RuleDefinition> document(YamlDocument doc, Problems p) {
        if (!(doc.root() instanceof YamlNode.Mapping root)) {
            p.add(doc.line(), "a rule must be a YAML map (title, id, detection …), not " + Nodes.describe(doc.root()));
            return Optional.empty();
        }
        if (root.has("action")) {
            p.add(root.entry("action").get().keyLine(), "Sigma 1 'action' documents (global, repeat, reset) are not supported; write complete rules");
            return Optional.empty();
        }
        if (root.has("filter")) {
            p.add(root.entry("filter").get().keyLine(), "Sigma filter rules are not supported; add the exclusion to the rule's condition");
            return Optional.empty();
        }
        RuleMeta meta = MetaParser.parse(root, doc.line(), p);
        McpAuditExtension ext = ExtensionParser.parse(root.get("mcpaudit"), p);
        if (root.has("correlation")) {
            if (root.has("detection")) {
                p.add(root.entry("detection").get().keyLine(), "a rule has either 'detection' or 'correlation', not both");
            }
            return CorrelationParser.parse(root, meta, ext, p).map(r -> r);
        }
        Optional<Detection> detection = Optional.empty();
        if (root.has("detection")) {
            detection = DetectionParser.parse(root.get("detection").get(), p);
        } else if (ext.detector().isEmpty()) {
            p.add(doc.line(), "rule has no 'detection' (nor 'correlation', nor mcpaudit.detector)");
        }
        Map<String, String> logsource = new LinkedHashMap<>();
        root.get("logsource").flatMap(n -> Nodes.mapping(n, "logsource", p)).ifPresent(ls -> {
            for (YamlNode.Mapping.Entry e : ls.entries()) {
                Nodes.string(e.value(), "logsource." + e.key(), p).ifPresent(v -> logsource.put(e.key(), v));
            }
        });
        if (root.has("generate")) {
            p.add(root.entry("generate").get().keyLine(), "'generate' only applies to correlation rules");
        }
        return Optional.of(new SigmaRule(meta, logsource, detection, ext));
    }
}

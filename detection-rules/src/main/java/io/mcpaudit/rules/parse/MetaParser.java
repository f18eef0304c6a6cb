package io.mcpaudit.rules.parse;

import io.mcpaudit.rules.sigma.RuleMeta;
import io.mcpaudit.rules.yaml.YamlNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and checks the descriptive attributes of a rule (title, id, level, tags …). */
final class MetaParser {
    static final List<String> STATUSES = List.of("stable", "test", "experimental", "deprecated", "unsupported");
    static final List<String> LEVELS = List.of("informational", "low", "medium", "high", "critical");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])");
    private static final Pattern TAG = Pattern.compile("[a-z0-9_.-]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{2,}");

    private MetaParser() {
    }

    static RuleMeta parse(YamlNode.Mapping root, int line, Problems p) {
        String title = root.get("title").flatMap(n -> Nodes.string(n, "title", p)).orElse(null);
        if (title == null && !root.has("title")) {
            p.add(line, "rule has no 'title'");
        } else if (title != null && (title.isBlank() || title.length() > 256)) {
            p.add(root.get("title").get().line(), "title must be 1 to 256 characters");
        }
        String id = root.get("id").flatMap(n -> Nodes.string(n, "id", p)).orElse(null);
        if (id == null && !root.has("id")) {
            p.add(line, "rule has no 'id': give it a UUID (alerts and correlations refer to rules by id)");
        } else if (id != null && !UUID.matcher(id).matches()) {
            p.add(root.get("id").get().line(), "id '" + id + "' is not a UUID (e.g. 0e95725d-7320-415d-80f7-004da920fc11)");
        }
        String name = optional(root, "name", p);
        if (name != null && !NAME.matcher(name).matches()) {
            p.add(root.get("name").get().line(), "name '" + name + "' may only use letters, digits, '_', '.' and '-'");
        }
        String status = oneOf(root, "status", STATUSES, p);
        String level = oneOf(root, "level", LEVELS, p);
        String date = datePattern(root, "date", p);
        String modified = datePattern(root, "modified", p);
        List<String> tags = root.get("tags").map(n -> Nodes.strings(n, "tags", p)).orElse(List.of());
        root.get("tags").ifPresent(n -> {
            for (String t : tags) {
                if (!TAG.matcher(t).matches()) {
                    p.add(n.line(), "tag '" + t + "' must be lower-case letters, digits, '_', '.' or '-' (e.g. attack.t1059)");
                }
            }
        });
        return new RuleMeta(id, name, title, status, optional(root, "description", p), optional(root, "author", p),
                date, modified,
                root.get("references").map(n -> Nodes.strings(n, "references", p)).orElse(List.of()),
                tags,
                root.get("falsepositives").map(n -> Nodes.strings(n, "falsepositives", p)).orElse(List.of()),
                level, p.file(), line);
    }

    private static String optional(YamlNode.Mapping root, String key, Problems p) {
        return root.get(key).flatMap(n -> Nodes.string(n, key, p)).orElse(null);
    }

    private static String oneOf(YamlNode.Mapping root, String key, List<String> allowed, Problems p) {
        Optional<YamlNode> node = root.get(key);
        if (node.isEmpty()) {
            return null;
        }
        String v = Nodes.string(node.get(), key, p).orElse(null);
        if (v != null && !allowed.contains(v)) {
            p.add(node.get().line(), key + " '" + v + "' is not one of " + String.join(", ", allowed));
            return null;
        }
        return v;
    }

    private static String datePattern(YamlNode.Mapping root, String key, Problems p) {
        Optional<YamlNode> node = root.get(key);
        if (node.isEmpty()) {
            return null;
        }
        String v = Nodes.string(node.get(), key, p).orElse(null);
        if (v != null && !DATE.matcher(v).matches()) {
            p.add(node.get().line(), key + " '" + v + "' must be an ISO date YYYY-MM-DD");
        }
        return v;
    }
}

package io.mcpaudit.rules.sigma;

import io.mcpaudit.rules.yaml.YamlNode;
import java.util.List;

/**
 * One {@code field|modifier…: values} entry of a selection, as written. An empty field name is
 * a keyword search over the whole event.
 */
public record FieldSpec(String field, List<Modifier> modifiers, List<YamlNode.Scalar> values, int line) {
    public FieldSpec {
        modifiers = List.copyOf(modifiers);
        values = List.copyOf(values);
    }

    public boolean isKeyword() {
        return field.isEmpty();
    }

    public boolean has(Modifier m) {
        return modifiers.contains(m);
    }
}

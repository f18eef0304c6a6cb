package io.mcpaudit.rules.event;

import java.util.List;
import java.util.Objects;

/**
 * A dotted field name such as {@code mcp.method.name}, split once at compile time. Events may
 * carry it as one flat key, as nested maps, or as any mix of the two.
 */
public record FieldPath(String name, List<String> segments) {

    public FieldPath {
        Objects.requireNonNull(name, "name");
        segments = List.copyOf(segments);
    }

    public static FieldPath of(String name) {
        return new FieldPath(name, List.of(name.split("\\.", -1)));
    }

    @Override
    public String toString() {
        return name;
    }
}

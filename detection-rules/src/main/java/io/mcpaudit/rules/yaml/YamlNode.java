package io.mcpaudit.rules.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A YAML value that remembers the line it was written on, so rule problems can point at it. */
public sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Sequence, YamlNode.Mapping {

    /** 1-based line of the value in its file. */
    int line();

    /** Plain Java form: String, Long, Double, BigInteger, Boolean, null, List or LinkedHashMap. */
    Object toPlain();

    /** Short name of the YAML type, for error messages. */
    String kind();

    /** A scalar: string, number, boolean or null. */
    record Scalar(Object value, int line) implements YamlNode {
        public boolean isNull() {
            return value == null;
        }

        public boolean isString() {
            return value instanceof String;
        }

        /** The scalar as text; numbers and booleans are rendered as written. */
        public String text() {
            return value == null ? null : String.valueOf(value);
        }

        @Override
        public Object toPlain() {
            return value;
        }

        @Override
        public String kind() {
            if (value == null) {
                return "null";
            }
            if (value instanceof Boolean) {
                return "boolean";
            }
            if (value instanceof Number) {
                return "number";
            }
            return "string";
        }
    }

    /** A YAML list. */
    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        @Override
        public Object toPlain() {
            List<Object> out = new ArrayList<>(items.size());
            for (YamlNode item : items) {
                out.add(item.toPlain());
            }
            return out;
        }

        @Override
        public String kind() {
            return "list";
        }
    }

    /** A YAML map; keys keep their order and their own line. */
    record Mapping(List<Entry> entries, int line) implements YamlNode {

        /** One key/value pair of a map. */
        public record Entry(String key, int keyLine, YamlNode value) {
        }

        public Optional<YamlNode> get(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return Optional.of(e.value());
                }
            }
            return Optional.empty();
        }

        public Optional<Entry> entry(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }

        public boolean has(String key) {
            return get(key).isPresent();
        }

        @Override
        public Object toPlain() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                out.put(e.key(), e.value().toPlain());
            }
            return out;
        }

        @Override
        public String kind() {
            return "map";
        }
    }
}

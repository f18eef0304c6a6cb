package io.mcpaudit.rules.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads YAML into {@link YamlNode} trees that keep line numbers. Jackson's tree model drops
 * locations, so the tree is built from the token stream instead. Anchors and aliases
 * ({@code &name} / {@code *name}) on lists and maps are resolved, so a rule can reuse a value
 * list for several fields.
 */
public final class YamlReader {
    private final YAMLFactory factory = new YAMLFactory();

    /**
     * Reads every document of a YAML text.
     *
     * @param duplicateKey told about each repeated key in a map (the later value wins), because
     *     YAML parsers silently keep one and a rule author almost always meant two selections
     */
    public List<YamlDocument> read(String text, BiConsumer<String, Integer> duplicateKey)
            throws YamlSyntaxException {
        List<YamlDocument> docs = new ArrayList<>();
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                int line = line(parser);
                docs.add(new YamlDocument(new Builder((YAMLParser) parser, duplicateKey).node(token), line));
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? 0 : loc.getLineNr();
            throw new YamlSyntaxException(e.getOriginalMessage(), line, e);
        } catch (IOException e) {
            throw new YamlSyntaxException(e.getMessage(), 0, e);
        }
        return docs;
    }

    /** Builds one document's tree; anchors are scoped to the document, as YAML defines them. */
    private static final class Builder {
        private final YAMLParser p;
        private final BiConsumer<String, Integer> dup;
        private final Map<String, YamlNode> anchors = new HashMap<>();

        Builder(YAMLParser p, BiConsumer<String, Integer> dup) {
            this.p = p;
            this.dup = dup;
        }

        YamlNode node(JsonToken token) throws IOException {
            if (p.isCurrentAlias()) {
                YamlNode target = anchors.get(p.getText());
                if (target == null) {
                    // The YAML parser reports anchors of lists and maps only, not of single values.
                    throw new JsonParseExceptionAtLine("alias *" + p.getText() + " refers to no anchor defined before it"
                            + " (anchors work on lists and maps, not on single values: write &" + p.getText() + " [value])", p);
                }
                return target;
            }
            String anchor = p.getObjectId();
            YamlNode n = build(token);
            if (anchor != null) {
                anchors.put(anchor, n);
            }
            return n;
        }

        private YamlNode build(JsonToken token) throws IOException {
            int line = line(p);
            switch (token) {
                case START_OBJECT: {
                    List<YamlNode.Mapping.Entry> entries = new ArrayList<>();
                    Set<String> seen = new HashSet<>();
                    while (p.nextToken() != JsonToken.END_OBJECT) {
                        String key = p.currentName();
                        int keyLine = line(p);
                        YamlNode value = node(p.nextToken());
                        if (!seen.add(key)) {
                            dup.accept(key, keyLine);
                            entries.removeIf(e -> e.key().equals(key));
                        }
                        entries.add(new YamlNode.Mapping.Entry(key, keyLine, value));
                    }
                    return new YamlNode.Mapping(List.copyOf(entries), line);
                }
                case START_ARRAY: {
                    List<YamlNode> items = new ArrayList<>();
                    JsonToken t;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        items.add(node(t));
                    }
                    return new YamlNode.Sequence(List.copyOf(items), line);
                }
                case VALUE_STRING:
                    return new YamlNode.Scalar(p.getText(), line);
                case VALUE_NUMBER_INT:
                    return new YamlNode.Scalar(intValue(p), line);
                case VALUE_NUMBER_FLOAT:
                    return new YamlNode.Scalar(doubleValue(p), line);
                case VALUE_TRUE:
                    return new YamlNode.Scalar(Boolean.TRUE, line);
                case VALUE_FALSE:
                    return new YamlNode.Scalar(Boolean.FALSE, line);
                case VALUE_NULL:
                    return new YamlNode.Scalar(null, line);
                default:
                    return new YamlNode.Scalar(p.getText(), line);
            }
        }
    }

    /** A structural YAML error found while building the tree, reported like a parse error. */
    private static final class JsonParseExceptionAtLine extends com.fasterxml.jackson.core.JsonParseException {
        JsonParseExceptionAtLine(String message, JsonParser p) {
            super(p, message);
        }
    }

    /** A number like 1e400 would read as Infinity, which no matcher can compare or print: refuse it. */
    private static double doubleValue(JsonParser p) throws IOException {
        double value = p.getDoubleValue();
        if (!Double.isFinite(value)) {
            throw new JsonParseExceptionAtLine("the number " + p.getText() + " is beyond the range of a double"
                    + " (about 1.8e308); write it as a string if it is meant as text", p);
        }
        return value;
    }

    private static Object intValue(JsonParser p) throws IOException {
        return switch (p.getNumberType()) {
            case INT, LONG -> p.getLongValue();
            default -> p.getBigIntegerValue();
        };
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}

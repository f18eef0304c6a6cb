package io.mcpaudit.rules.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads YAML into {@link YamlNode} trees that keep line numbers. Jackson's tree model drops
 * locations, so the tree is built from the token stream instead.
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
                docs.add(new YamlDocument(node(parser, token, duplicateKey), line));
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

    private static YamlNode node(JsonParser p, JsonToken token, BiConsumer<String, Integer> dup)
            throws IOException {
        int line = line(p);
        switch (token) {
            case START_OBJECT: {
                List<YamlNode.Mapping.Entry> entries = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    YamlNode value = node(p, p.nextToken(), dup);
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
                    items.add(node(p, t, dup));
                }
                return new YamlNode.Sequence(List.copyOf(items), line);
            }
            case VALUE_STRING:
                return new YamlNode.Scalar(p.getText(), line);
            case VALUE_NUMBER_INT:
                return new YamlNode.Scalar(intValue(p), line);
            case VALUE_NUMBER_FLOAT:
                return new YamlNode.Scalar(p.getDoubleValue(), line);
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

package io.mcpaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.rules.yaml.YamlDocument;
import io.mcpaudit.rules.yaml.YamlNode;
import io.mcpaudit.rules.yaml.YamlReader;
import io.mcpaudit.rules.yaml.YamlSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
    private final YamlReader reader = new YamlReader();

    @Test
    void keepsLinesOfKeysAndValuesAcrossDocuments() throws Exception {
        List<YamlDocument> docs = reader.read("a: 1\nb:\n  - x\n  - y\n---\nc: true\n", (k, l) -> { });
        assertThat(docs).hasSize(2);
        YamlNode.Mapping first = (YamlNode.Mapping) docs.get(0).root();
        assertThat(first.entry("b").orElseThrow().keyLine()).isEqualTo(2);
        assertThat(((YamlNode.Sequence) first.get("b").orElseThrow()).items().get(1).line()).isEqualTo(4);
        assertThat(docs.get(1).root().toPlain()).isEqualTo(Map.of("c", true));
        assertThat(((YamlNode.Mapping) docs.get(1).root()).entry("c").orElseThrow().keyLine()).isEqualTo(6);
    }

    @Test
    void resolvesAnchorsOfListsAndMaps() throws Exception {
        YamlNode root = reader.read("a: &v [x, y]\nb: *v\nc: &m {k: 1}\nd: *m\n", (k, l) -> { }).get(0).root();
        assertThat(root.toPlain()).isEqualTo(Map.of("a", List.of("x", "y"), "b", List.of("x", "y"), "c", Map.of("k", 1L), "d", Map.of("k", 1L)));
    }

    @Test
    void explainsUnsupportedScalarAnchors() {
        assertThatThrownBy(() -> reader.read("a: &v x\nb: *v\n", (k, l) -> { }))
                .isInstanceOf(YamlSyntaxException.class)
                .hasMessageContaining("write &v [value]");
    }

    @Test
    void reportsDuplicateKeys() throws Exception {
        List<String> dups = new ArrayList<>();
        reader.read("a: 1\nb: 2\na: 3\n", (k, l) -> dups.add(k + "@" + l));
        assertThat(dups).containsExactly("a@3");
    }

    @Test
    void refusesNumbersBeyondTheRangeOfADoubleWithTheirLine() throws Exception {
        assertThat(reader.read("a: 1.5e308\nb: -2e-400\n", (k, l) -> { }).get(0).root().toPlain())
                .isEqualTo(Map.of("a", 1.5e308, "b", -0.0));
        assertThatThrownBy(() -> reader.read("a: 1\nb: [x, 1e400]\n", (k, l) -> { }))
                .isInstanceOf(YamlSyntaxException.class)
                .hasMessageContaining("1e400 is beyond the range of a double")
                .satisfies(e -> assertThat(((YamlSyntaxException) e).line()).isEqualTo(2));
    }
}

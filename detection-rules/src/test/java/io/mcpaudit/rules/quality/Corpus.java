package io.mcpaudit.rules.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The labelled corpus under {@code src/test/resources/corpus}: JSON Lines files, one sample per
 * line. Lines that do not follow the format are collected as problems, with file and line.
 */
public record Corpus(List<CorpusSample> samples, List<String> problems) {
    /** Surefire and the report main run in the module directory. */
    public static final Path DEFAULT_DIR = Path.of("src/test/resources/corpus");

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Corpus load(Path dir) {
        List<CorpusSample> samples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the corpus directory " + dir.toAbsolutePath(), e);
        }
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read corpus file " + f, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                String where = f.getFileName() + ":" + (i + 1);
                try {
                    JsonNode n = JSON.readTree(line);
                    String id = text(n, "id");
                    String split = text(n, "split");
                    String label = text(n, "label");
                    String field = text(n, "field");
                    String value = text(n, "text");
                    String source = text(n, "source");
                    if (id == null || split == null || label == null || field == null || value == null || source == null) {
                        problems.add(where + ": needs id, split, label, field, text and source");
                        continue;
                    }
                    CorpusSample.Split sp;
                    try {
                        sp = CorpusSample.Split.valueOf(split.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        problems.add(where + ": split '" + split + "' is not dev or heldout");
                        continue;
                    }
                    if (!label.equals(CorpusSample.BENIGN) && !CorpusSample.ATTACK_LABELS.contains(label)) {
                        problems.add(where + ": label '" + label + "' is not benign or one of " + CorpusSample.ATTACK_LABELS);
                        continue;
                    }
                    if (!CorpusSample.FIELDS.contains(field)) {
                        problems.add(where + ": field '" + field + "' is not one of " + CorpusSample.FIELDS);
                        continue;
                    }
                    String previous = ids.putIfAbsent(id, where);
                    if (previous != null) {
                        problems.add(where + ": id " + id + " is already used at " + previous);
                        continue;
                    }
                    samples.add(new CorpusSample(id, sp, label, field, value, source, f.getFileName().toString(), i + 1));
                } catch (IOException e) {
                    problems.add(where + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
                }
            }
        }
        return new Corpus(List.copyOf(samples), List.copyOf(problems));
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}

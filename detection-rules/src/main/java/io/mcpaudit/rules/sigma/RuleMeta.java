package io.mcpaudit.rules.sigma;

import java.util.List;

/** The descriptive attributes shared by Sigma detection and correlation rules. */
public record RuleMeta(
        String id,
        String name,
        String title,
        String status,
        String description,
        String author,
        String date,
        String modified,
        List<String> references,
        List<String> tags,
        List<String> falsePositives,
        String level,
        String file,
        int line) {

    public RuleMeta {
        references = List.copyOf(references);
        tags = List.copyOf(tags);
        falsePositives = List.copyOf(falsePositives);
    }

    /** {@code file:line}, for messages. */
    public String location() {
        return file + ":" + line;
    }
}

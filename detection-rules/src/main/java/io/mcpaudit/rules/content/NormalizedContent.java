package io.mcpaudit.rules.content;

import java.util.List;
import java.util.Set;

/**
 * The result of normalizing untrusted text.
 *
 * @param text the text as a model would understand it: NFKC, invisible characters removed, tag
 *     characters and comments surfaced, decoded base64 text appended
 * @param findings which hiding techniques were seen ({@link HiddenFinding} names), in a stable order
 * @param revealed the pieces of text that were hidden (decoded tags, comment bodies, decoded blobs)
 */
public record NormalizedContent(String text, Set<String> findings, List<String> revealed) {
    public NormalizedContent {
        findings = Set.copyOf(findings);
        revealed = List.copyOf(revealed);
    }
}

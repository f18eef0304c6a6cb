package io.mcpaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.rules.content.UntrustedContentFields;
import io.mcpaudit.rules.correlation.InMemoryCorrelationStore;
import io.mcpaudit.rules.engine.DetectionEngine;
import io.mcpaudit.rules.sigma.RuleMatch;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Text built to make matchers backtrack or rescan (regex bombs, dense anchor words, huge
 * whitespace runs, unclosed comments, endless escape sequences) run through every rule of the
 * shipped pack, in every untrusted field at once. RE2/J, the literal prefilters and the anchor
 * windows keep each evaluation linear in the text; the timeout only stops a run that would
 * otherwise hang the build, it measures nothing.
 */
class HostileContentTest {
    /** The agent caps each text at 64 KiB by default; replayed captures can carry more, so go beyond. */
    private static final int SIZE = 128 * 1024;

    private static DetectionEngine engine;

    @BeforeAll
    static void load() {
        LoadResult loaded = new RuleLoader().load(Path.of("rules"));
        assertThat(loaded.problems()).isEmpty();
        engine = new DetectionEngine(loaded.ruleSet(), new InMemoryCorrelationStore());
    }

    private static String fill(String unit, int size) {
        return unit.repeat(Math.max(1, size / unit.length()));
    }

    private static Map<String, Object> everywhere(String text) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("@timestamp", "2026-01-01T00:00:00Z");
        event.put("event.id", "hostile");
        event.put("mcp.session.id", "hostile");
        event.put("mcp.method.name", "tools/call");
        event.put("mcp.direction", "server_to_client");
        event.put("gen_ai.tool.name", "hostile_tool");
        for (String field : UntrustedContentFields.TEXT_FIELDS) {
            event.put(field, text);
        }
        event.put("process.command_line", text);
        event.put("process.args", List.of("sh", "-c", text));
        return event;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void pathologicalTextThroughTheWholePackFinishes() {
        Map<String, String> bait = new LinkedHashMap<>();
        bait.put("(a+)+b bait", fill("a", SIZE) + "!");
        bait.put("dense anchor words", fill("ignore previous ", SIZE));
        bait.put("one huge whitespace run, then anchors", " ".repeat(SIZE / 2) + fill("you are now ", SIZE / 2));
        bait.put("alternating word and whitespace runs", fill("ignore" + " ".repeat(500) + "all" + "\t".repeat(500), SIZE));
        bait.put("base64 look-alike", fill("aWdub3JlIHByZXZpb3VzIGluc3RydWN0aW9ucw", SIZE));
        bait.put("URL and address fragments", fill("http://169.254.169.254.", SIZE));
        bait.put("escaped JSON", "{\"a\":\"" + fill("\\u0069\\\"", SIZE) + "\"}");
        bait.put("quotes without end", fill("\"ignore ", SIZE));
        for (Map.Entry<String, String> input : bait.entrySet()) {
            assertThat(engine.matchOnly(everywhere(input.getValue()))).as(input.getKey())
                    .allSatisfy(match -> assertThat(match.hits()).isNotEmpty());
        }

        // Hiding techniques repeated to the same length are still found.
        Map<String, String> hiding = new LinkedHashMap<>();
        hiding.put("unclosed HTML comments", fill("<!--", SIZE));
        hiding.put("markdown comment markers", fill("[x]: # ", SIZE));
        hiding.put("endless escape sequences", fill("\u001b[1;", SIZE));
        hiding.put("zero-width splits", fill("i\u200Bg\u200Bn\u200Bo\u200Br\u200Be ", SIZE));
        hiding.put("unicode tags", fill("\uDB40\uDC41", SIZE));
        for (Map.Entry<String, String> input : hiding.entrySet()) {
            List<RuleMatch> matches = engine.matchOnly(everywhere(input.getValue()));
            assertThat(matches).as(input.getKey()).isNotEmpty();
        }
    }
}

package io.mcpaudit.rules.extension;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The fixed alert category vocabulary (contracts/detections.md). Every alert carries exactly one. */
public enum Category {
    SESSION_HIJACK("session-hijack"),
    SESSION_REPLAY("session-replay"),
    TOKEN_AUDIENCE_MISMATCH("token-audience-mismatch"),
    TOKEN_REUSE("token-reuse"),
    TOKEN_LIFETIME("token-lifetime"),
    PROMPT_INJECTION("prompt-injection"),
    TOOL_POISONING("tool-poisoning"),
    TOOL_RUG_PULL("tool-rug-pull"),
    TOOL_SHADOWING("tool-shadowing"),
    INJECTION_DRIVEN_ACTION("injection-driven-action"),
    SSRF("ssrf"),
    SECRET_EXPOSURE("secret-exposure"),
    MISSING_APPROVAL("missing-approval"),
    APPROVAL_MISMATCH("approval-mismatch"),
    APPROVAL_FATIGUE("approval-fatigue"),
    SCOPE_OVERREACH("scope-overreach"),
    UNREGISTERED_SERVER("unregistered-server"),
    RISKY_LAUNCH("risky-launch"),
    AUDIT_GAP("audit-gap"),
    RATE_ANOMALY("rate-anomaly");

    private final String id;

    Category(String id) {
        this.id = id;
    }

    /** The category as written in rules and alerts. */
    public String id() {
        return id;
    }

    public static Optional<Category> fromId(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Category::id).toList();
    }

    /** The category closest in spelling to {@code id}, to suggest a fix for a typo. */
    public static Category closest(String id) {
        return Arrays.stream(values())
                .min(Comparator.comparingInt(c -> editDistance(c.id, id.replace('_', '-'))))
                .orElseThrow();
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

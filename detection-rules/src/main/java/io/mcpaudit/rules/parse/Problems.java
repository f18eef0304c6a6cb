package io.mcpaudit.rules.parse;

import io.mcpaudit.rules.RuleProblem;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one rule file, so one pass reports all of them at once. */
public final class Problems {
    private final String file;
    private final List<RuleProblem> problems = new ArrayList<>();

    public Problems(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public void add(int line, String message) {
        problems.add(new RuleProblem(file, line, message));
    }

    public int count() {
        return problems.size();
    }

    public List<RuleProblem> all() {
        return List.copyOf(problems);
    }
}

package io.mcpaudit.rules;

import io.mcpaudit.rules.correlation.CorrelationRule;
import io.mcpaudit.rules.event.DerivedFields;
import io.mcpaudit.rules.parse.RuleParser;
import io.mcpaudit.rules.sigma.CompiledRule;
import io.mcpaudit.rules.sigma.InvalidRuleException;
import io.mcpaudit.rules.sigma.RuleCompiler;
import io.mcpaudit.rules.sigma.RuleDefinition;
import io.mcpaudit.rules.sigma.SigmaRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads rule files (a directory tree of {@code .yml}/{@code .yaml}, or texts by name as they
 * arrive on the rules topic) into a {@link RuleSet}. A broken rule is reported with its file
 * and line and left out; it never disables the other rules.
 */
public final class RuleLoader {
    private final RuleParser parser = new RuleParser();
    private final RuleCompiler compiler;

    public RuleLoader() {
        this.compiler = new RuleCompiler();
    }

    public RuleLoader(DerivedFields derivedFields) {
        this.compiler = new RuleCompiler(derivedFields);
    }

    /** Loads every rule file under {@code directory}, in path order so results are reproducible. */
    public LoadResult load(Path directory) {
        Map<String, String> files = new LinkedHashMap<>();
        List<RuleProblem> unreadable = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return new LoadResult(RuleSet.empty(), List.of(new RuleProblem(directory.toString(), 0,
                    "rule directory does not exist or is not a directory")));
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.filter(Files::isRegularFile).filter(RuleLoader::isRuleFile).sorted().toList()) {
                String name = directory.relativize(p).toString().replace('\\', '/');
                try {
                    files.put(name, Files.readString(p, StandardCharsets.UTF_8));
                } catch (IOException | UncheckedIOException e) {
                    unreadable.add(new RuleProblem(name, 0, "cannot read the file: " + e.getMessage()));
                }
            }
        } catch (IOException e) {
            return new LoadResult(RuleSet.empty(), List.of(new RuleProblem(directory.toString(), 0, "cannot list rule files: " + e.getMessage())));
        }
        LoadResult r = load(files);
        List<RuleProblem> problems = new ArrayList<>(unreadable);
        problems.addAll(r.problems());
        return new LoadResult(r.ruleSet(), problems);
    }

    private static boolean isRuleFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yml") || n.endsWith(".yaml");
    }

    /** Loads rule files given as name to YAML text. */
    public LoadResult load(Map<String, String> files) {
        List<RuleProblem> problems = new ArrayList<>();
        List<CompiledRule> compiled = new ArrayList<>();
        List<CorrelationRule> correlations = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            RuleParser.Parsed parsed = parser.parse(f.getKey(), f.getValue());
            problems.addAll(parsed.problems());
            for (RuleDefinition d : parsed.rules()) {
                if (d instanceof SigmaRule s) {
                    List<InvalidRuleException> errors = new ArrayList<>();
                    CompiledRule c = compiler.compile(s, errors);
                    errors.forEach(e -> problems.add(new RuleProblem(f.getKey(), e.line(), e.getMessage())));
                    if (c != null && errors.isEmpty()) {
                        compiled.add(c);
                    }
                } else if (d instanceof CorrelationRule c) {
                    correlations.add(c);
                }
            }
        }
        RuleSet set = new RuleLinker().link(compiled, correlations, problems);
        return new LoadResult(set, problems);
    }

    /** Loads one file's text, for tests and editors. */
    public LoadResult loadText(String fileName, String yaml) {
        return load(Map.of(fileName, yaml));
    }
}

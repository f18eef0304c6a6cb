package io.mcpaudit.cli.rules;

import io.mcpaudit.cli.cluster.ClusterOptions;
import io.mcpaudit.rules.LoadResult;
import io.mcpaudit.rules.RuleLoader;
import io.mcpaudit.rules.testing.RuleTestResult;
import io.mcpaudit.rules.testing.RuleTestRunner;
import io.mcpaudit.streams.rules.RulePublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mcp-audit rules}: detection rules as code. */
@Command(name = "rules", mixinStandardHelpOptions = true,
    description = "Work with detection rules (Sigma v2 with mcp-audit extensions).",
    subcommands = {RulesCommand.Validate.class, RulesCommand.Test.class, RulesCommand.Push.class,
        RulesCommand.Remove.class})
public final class RulesCommand {

  /** {@code mcp-audit rules validate [PATH]}. */
  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Parse and validate rules; every problem is reported with file, line and what is wrong."
          + " Exit code 1 when any rule has a problem.",
      footer = {"", "Example:", "  ./mcp-audit rules validate detection-rules/rules"})
  static final class Validate implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", defaultValue = "detection-rules/rules",
        description = "Rule file or directory (default: ${DEFAULT-VALUE}).")
    private Path path;

    @Override
    public Integer call() {
      LoadResult result = load(path);
      result.problems().forEach(problem -> spec.commandLine().getErr().println(problem));
      spec.commandLine().getOut().printf("%d rules and %d correlations valid, %d problems%n",
          result.ruleSet().rules().size(), result.ruleSet().correlations().size(), result.problems().size());
      return result.problems().isEmpty() ? 0 : 1;
    }
  }

  /** {@code mcp-audit rules test [PATH]}. */
  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Run every rule's inline tests (true positives and true negatives) and print a table."
          + " Exit code 1 when any test fails or any rule has a problem.",
      footer = {"", "Example:", "  ./mcp-audit rules test detection-rules/rules/prompt-injection"})
  static final class Test implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", defaultValue = "detection-rules/rules",
        description = "Rule file or directory (default: ${DEFAULT-VALUE}).")
    private Path path;

    @Override
    public Integer call() {
      LoadResult result = load(path);
      result.problems().forEach(problem -> spec.commandLine().getErr().println(problem));
      List<RuleTestResult> results = new RuleTestRunner(result.ruleSet()).runAll();
      spec.commandLine().getOut().print(RuleTestRunner.table(results));
      spec.commandLine().getOut().flush();
      boolean failed = results.stream().anyMatch(RuleTestResult::failed) || !result.problems().isEmpty();
      return failed ? 1 : 0;
    }
  }

  private static LoadResult load(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(path + " does not exist");
    }
    RuleLoader loader = new RuleLoader();
    if (Files.isDirectory(path)) {
      return loader.load(path);
    }
    try {
      return loader.loadText(path.getFileName().toString(), Files.readString(path));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** {@code mcp-audit rules push [PATH]}. */
  @Command(name = "push", mixinStandardHelpOptions = true,
      description = "Validate a rule pack and publish every rule to the compacted rules topic; running pipelines"
          + " apply it within seconds. Nothing is published while any rule has a problem.",
      footer = {"", "Example:", "  ./mcp-audit rules push detection-rules/rules"})
  static final class Push implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", defaultValue = "detection-rules/rules",
        description = "Rule file or directory (default: ${DEFAULT-VALUE}).")
    private Path path;

    @Override
    public Integer call() {
      List<RulePublisher.PublishedRule> rules = RulePublisher.prepare(path);
      RulePublisher.publish(cluster.kafka(), cluster.kafkaClientConfig(), rules);
      spec.commandLine().getOut().println("published " + rules.size() + " rules from " + path + " to " + cluster.kafka());
      return 0;
    }
  }

  /** {@code mcp-audit rules remove ID}. */
  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Remove a rule from running pipelines (publishes a tombstone for its id).")
  static final class Remove implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "RULE_ID", description = "The rule's id.")
    private String ruleId;

    @Override
    public Integer call() {
      RulePublisher.remove(cluster.kafka(), cluster.kafkaClientConfig(), ruleId);
      spec.commandLine().getOut().println("removed rule " + ruleId);
      return 0;
    }
  }
}

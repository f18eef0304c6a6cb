package io.mcpaudit.cli.inventory;

import io.mcpaudit.cli.cluster.ClusterOptions;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.streams.inventory.InventoryFile;
import io.mcpaudit.streams.inventory.InventoryPublisher;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcp-audit inventory}: check and publish the approved server inventory. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
    description = "Check or publish the approved MCP server inventory (see deploy/inventory/inventory.yml).",
    subcommands = {InventoryCommand.Check.class, InventoryCommand.Push.class})
public final class InventoryCommand {

  /** {@code mcp-audit inventory check --file F}. */
  @Command(name = "check", mixinStandardHelpOptions = true, description = "Validate an inventory file.",
      footer = {"", "Example:", "  ./mcp-audit inventory check --file deploy/inventory/inventory.yml"})
  static final class Check implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "Inventory YAML.")
    private Path file;

    @Override
    public Integer call() {
      List<InventoryEntry> entries = InventoryFile.read(file);
      spec.commandLine().getOut().println(file + ": " + entries.size() + " servers, valid");
      return 0;
    }
  }

  /** {@code mcp-audit inventory push --file F}. */
  @Command(name = "push", mixinStandardHelpOptions = true,
      description = "Validate an inventory file and publish it to the compacted inventory topic; running pipelines"
          + " pick it up within seconds.",
      footer = {"", "Example:", "  ./mcp-audit inventory push --file deploy/inventory/inventory.yml"})
  static final class Push implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "Inventory YAML.")
    private Path file;

    @Override
    public Integer call() throws Exception {
      List<InventoryEntry> entries = InventoryFile.read(file);
      SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryConfig.of(URI.create(cluster.schemaRegistry())));
      InventoryPublisher.publish(cluster.kafka(), cluster.kafkaClientConfig(), registry, entries);
      spec.commandLine().getOut().println("published " + entries.size() + " servers from " + file + " to "
          + cluster.kafka());
      return 0;
    }
  }
}

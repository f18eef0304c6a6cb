package io.mcpaudit.agent.bench;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.agent.emit.EventSink;
import io.mcpaudit.agent.events.Observation;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.agent.it.HttpAgentMain;
import io.mcpaudit.agent.it.StdioAgentMain;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.Transport;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Load harness for the agent's overhead (docs/benchmarks.md, "Ingest agent"). In one run it
 * measures, for stdio mode and HTTP mode, the same traffic once directly and once through the
 * agent (each agent a process of its own, as deployed): round-trip latency per request (p50,
 * p99 and what the agent adds), requests per second, the agent's start time, and its memory
 * (RSS now and at peak).
 *
 * <p>Run: {@code java -cp <test classpath> io.mcpaudit.agent.bench.AgentBenchmark [--requests N]
 * [--warmup N] [--seconds S] [--concurrency C] [--kafka BOOTSTRAP --schema-registry URL]
 * [--agent-jvm-options "-Xmx64m …"] [--cds] [--only stdio,http,capacity]}. Class folders on the
 * class path are packed into jars first, as the agent is deployed; {@code --cds} trains and uses an
 * application class-data sharing archive for the agent processes.
 * Without {@code --kafka} the agents run with {@code kafka.bootstrap=none}: all parsing,
 * redaction, hashing and chaining, no delivery.
 */
public final class AgentBenchmark {
  private int requests = 5_000;
  private int warmup = 5_000;
  private int seconds = 5;
  private int concurrency = 4;
  private String kafka = "none";
  private String registry;
  private List<String> agentJvmOptions = List.of();
  private List<String> parts = List.of("stdio", "http", "capacity");
  private final Path work;
  private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  /** The harness's class path with every class folder packed into a jar, as deployed (and as CDS requires). */
  private String classPath;
  private boolean cds;

  private AgentBenchmark(Path work) {
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    AgentBenchmark bench = new AgentBenchmark(Files.createTempDirectory("mcp-audit-bench"));
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--requests" -> bench.requests = Integer.parseInt(args[i + 1]);
        case "--warmup" -> bench.warmup = Integer.parseInt(args[i + 1]);
        case "--seconds" -> bench.seconds = Integer.parseInt(args[i + 1]);
        case "--concurrency" -> bench.concurrency = Integer.parseInt(args[i + 1]);
        case "--kafka" -> bench.kafka = args[i + 1];
        case "--schema-registry" -> bench.registry = args[i + 1];
        case "--only" -> bench.parts = List.of(args[i + 1].split(","));
        case "--cds" -> {
          bench.cds = true;
          i--; // a flag without a value
        }
        case "--agent-jvm-options" -> bench.agentJvmOptions = List.of(args[i + 1].trim().split("\\s+"));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    bench.classPath = bench.packClassFolders(System.getProperty("java.class.path"));
    if (bench.cds) {
      bench.trainClassDataSharing();
    }
    System.out.printf(Locale.ROOT, "# mcp-audit agent benchmark: %d cores, java %s, requests %d (+%d warm-up),"
            + " throughput %d s x %d clients, kafka %s, agent JVM options %s, load average %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), bench.requests, bench.warmup,
        bench.seconds, bench.concurrency, bench.kafka, bench.agentJvmOptions.isEmpty() ? "(none)" : bench.agentJvmOptions,
        loadAverage());
    if (bench.parts.contains("stdio")) {
      bench.stdio();
    }
    if (bench.parts.contains("http")) {
      bench.http();
    }
    if (bench.parts.contains("capacity")) {
      bench.auditCapacity();
    }
    System.out.println();
    System.out.println("load average at the end: " + loadAverage());
  }

  /** Class folders (target/classes, target/test-classes) become jars: agents start from jars when deployed. */
  private String packClassFolders(String path) throws IOException {
    List<String> entries = new ArrayList<>();
    int folder = 0;
    for (String entry : path.split(File.pathSeparator)) {
      Path source = Path.of(entry);
      if (!Files.isDirectory(source)) {
        entries.add(entry);
        continue;
      }
      Path jar = work.resolve("classes-" + folder++ + ".jar");
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
           Stream<Path> files = Files.walk(source)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          out.putNextEntry(new JarEntry(source.relativize(file).toString().replace('\\', '/')));
          Files.copy(file, out);
          out.closeEntry();
        }
      }
      entries.add(jar.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * Application class-data sharing: one training run per mode records the classes the agent
   * loads (-XX:ArchiveClassesAtExit), and the measured runs map that archive instead of loading
   * and verifying the classes again.
   */
  private void trainClassDataSharing() throws Exception {
    Path archive = work.resolve("agent.jsa");
    List<String> training = new ArrayList<>(agentJvmOptions);
    training.add("-XX:ArchiveClassesAtExit=" + archive);
    List<String> measured = new ArrayList<>(agentJvmOptions);
    measured.add("-XX:SharedArchiveFile=" + archive);
    agentJvmOptions = training;
    // One archive covers both modes: the HTTP agent loads a superset of the stdio agent's classes.
    Server upstream = upstream();
    int port = freePort();
    List<String> command = agentJava(HttpAgentMain.class.getName());
    command.addAll(agentOptions("training"));
    command.add("http.listen=127.0.0.1:" + port);
    command.add("http.upstream=http://127.0.0.1:" + ((ServerConnector) upstream.getConnectors()[0]).getLocalPort());
    Process agent = new ProcessBuilder(command).redirectError(work.resolve("training.err").toFile()).start();
    try {
      awaitListening(agent);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 200; i++) {
        post(client, URI.create("http://127.0.0.1:" + port + "/mcp"), "sess-training", BenchMessages.call(i));
      }
    } finally {
      agent.destroy();
      agent.waitFor(60, TimeUnit.SECONDS);
      upstream.stop();
    }
    if (!Files.exists(archive)) {
      throw new IllegalStateException("the class-data sharing archive was not written (see " + work.resolve("training.err")
          + ")");
    }
    agentJvmOptions = measured;
  }

  /** The 1, 5 and 15 minute load averages (Linux), to judge how quiet the machine was. */
  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** java, the agent JVM options, then the main class and its arguments. */
  private List<String> agentJava(String mainClass) {
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(agentJvmOptions);
    command.addAll(List.of("-cp", classPath, mainClass));
    return command;
  }

  private List<String> agentOptions(String id) {
    List<String> options = new ArrayList<>(List.of(work.resolve("home-" + id).toString(), "kafka.bootstrap=" + kafka,
        "agent.id=bench-" + id + "-" + ProcessHandle.current().pid(), "spool.dir=" + work.resolve("spool"),
        "secrets.fingerprint-key=" + "A".repeat(43) + "="));
    if (registry != null) {
      options.add("kafka.schema-registry=" + registry);
    }
    return options;
  }

  // ------------------------------------------------------------------ latency, interleaved

  /** Something a request can be sent to and its answer awaited. */
  private interface Peer {
    void roundTrip(long id) throws Exception;
  }

  /** Per target, the p50 and p99 of each round, in nanoseconds. */
  private record Rounds(List<long[]> percentiles) {
    double median(int which) {
      double[] values = percentiles.stream().mapToDouble(p -> p[which]).sorted().toArray();
      return values[values.length / 2];
    }
  }

  /**
   * Warms every peer up, then measures them in alternating rounds (direct, through the agent,
   * direct, …), so that a burst of load on a shared machine hits all of them alike. Each
   * round's p50 and p99 are kept; the report gives the median round.
   */
  private List<Rounds> interleaved(List<Peer> peers) throws Exception {
    long id = 1;
    for (Peer peer : peers) {
      for (int i = 0; i < warmup; i++) {
        peer.roundTrip(id++);
      }
    }
    int rounds = 10;
    int perRound = Math.max(100, requests / rounds);
    List<List<long[]>> results = new ArrayList<>();
    peers.forEach(peer -> results.add(new ArrayList<>()));
    for (int round = 0; round < rounds; round++) {
      for (int p = 0; p < peers.size(); p++) {
        long[] latency = new long[perRound];
        for (int i = 0; i < perRound; i++) {
          long start = System.nanoTime();
          peers.get(p).roundTrip(id++);
          latency[i] = System.nanoTime() - start;
        }
        Arrays.sort(latency);
        results.get(p).add(new long[] {(long) percentile(latency, 50), (long) percentile(latency, 99)});
      }
    }
    return results.stream().map(Rounds::new).toList();
  }

  // ------------------------------------------------------------------ stdio

  /** A stdio server process (direct, or the agent with the server as its child) and the pipes to it. */
  private static final class StdioPeer implements Peer, AutoCloseable {
    final Process process;
    final OutputStream out;
    final BufferedReader in;
    final double firstAnswerMs;

    StdioPeer(List<String> command, Path stderr) throws IOException {
      long launched = System.nanoTime();
      process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
      in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
      send(out, BenchMessages.initialize());
      in.readLine();
      firstAnswerMs = (System.nanoTime() - launched) / 1e6;
    }

    @Override
    public void roundTrip(long id) throws IOException {
      send(out, BenchMessages.call(id));
      in.readLine();
    }

    /** Pipelined: one thread writes as fast as it can, this one reads every answer. */
    double pipelined(int count, long firstId) throws Exception {
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < count; i++) {
            out.write(BenchMessages.call(firstId + i).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
          }
          out.flush();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      long start = System.nanoTime();
      writer.start();
      for (int i = 0; i < count; i++) {
        in.readLine();
      }
      double perSecond = count / ((System.nanoTime() - start) / 1e9);
      writer.join();
      return perSecond;
    }

    @Override
    public void close() throws Exception {
      out.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private void stdio() throws Exception {
    List<String> server = List.of(java, "-cp", classPath, BenchStdioServer.class.getName());
    List<String> agent = agentJava(StdioAgentMain.class.getName());
    agent.addAll(agentOptions("stdio"));
    agent.add("--");
    agent.addAll(server);

    try (StdioPeer direct = new StdioPeer(server, work.resolve("stdio-direct.err"));
         StdioPeer proxied = new StdioPeer(agent, work.resolve("stdio-agent.err"))) {
      List<Rounds> latency = interleaved(List.of(direct, proxied));
      int pipelined = Math.max(requests * 2, 20_000);
      double directRate = direct.pipelined(pipelined, 10_000_000L);
      double agentRate = proxied.pipelined(pipelined, 10_000_000L);
      long[] memory = memoryMiB(proxied.process.pid());
      System.out.println();
      System.out.println("## stdio (one client, requests in sequence; throughput pipelined)");
      report(latency.get(0), latency.get(1), directRate, agentRate);
      System.out.printf(Locale.ROOT, "first answer after launch: direct %.0f ms, through the agent %.0f ms"
          + " (agent start adds %.0f ms)%n", direct.firstAnswerMs, proxied.firstAnswerMs,
          proxied.firstAnswerMs - direct.firstAnswerMs);
      System.out.printf(Locale.ROOT, "agent RSS after the run: %d MiB (peak %d MiB)%n", memory[0], memory[1]);
    }
    reportDrops(work.resolve("stdio-agent.err"), "pipelined stdio run");
  }

  /** Says whether the agent had to drop observations (its event thread fell behind the relay). */
  private static void reportDrops(Path stderr, String run) throws IOException {
    boolean dropped = Files.exists(stderr) && Files.readString(stderr).contains("the audit queue is full");
    System.out.println(dropped
        ? "note: in the " + run + " the agent's audit queue overflowed: traffic went on unslowed, and the"
            + " observations it could not keep were dropped and reported as an audit gap"
        : "the agent audited every message of the " + run + " (no audit queue overflow)");
  }

  private static void send(OutputStream out, String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    out.flush();
  }

  // ------------------------------------------------------------------ HTTP

  private void http() throws Exception {
    Server upstream = upstream();
    String upstreamUrl = "http://127.0.0.1:" + ((ServerConnector) upstream.getConnectors()[0]).getLocalPort();
    int agentPort = freePort();
    int plainPort = freePort();
    List<String> command = agentJava(HttpAgentMain.class.getName());
    command.addAll(agentOptions("http"));
    command.add("http.listen=127.0.0.1:" + agentPort);
    command.add("http.upstream=" + upstreamUrl);
    List<String> plainCommand = agentJava(PlainProxyMain.class.getName());
    plainCommand.addAll(List.of(Integer.toString(plainPort), upstreamUrl));
    Process plain = null;
    Process agent = null;
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI direct = URI.create(upstreamUrl + "/mcp");
      URI viaPlain = URI.create("http://127.0.0.1:" + plainPort + "/mcp");
      URI proxied = URI.create("http://127.0.0.1:" + agentPort + "/mcp");

      long launched = System.nanoTime();
      agent = new ProcessBuilder(command).redirectError(work.resolve("http-agent.err").toFile()).start();
      awaitListening(agent);
      double listeningMs = (System.nanoTime() - launched) / 1e6;
      post(client, proxied, "sess-bench", BenchMessages.initialize());
      double firstAnswerMs = (System.nanoTime() - launched) / 1e6;
      plain = new ProcessBuilder(plainCommand).redirectError(work.resolve("plain-proxy.err").toFile()).start();
      awaitListening(plain);

      List<Rounds> latency = interleaved(List.of(
          id -> post(client, direct, "sess-bench", BenchMessages.call(id)),
          id -> post(client, viaPlain, "sess-bench", BenchMessages.call(id)),
          id -> post(client, proxied, "sess-bench", BenchMessages.call(id))));
      double directRate = httpThroughput(direct);
      double plainRate = httpThroughput(viaPlain);
      double agentRate = httpThroughput(proxied);
      long[] memory = memoryMiB(agent.pid());
      long[] plainMemory = memoryMiB(plain.pid());

      System.out.println();
      System.out.println("## HTTP (Streamable HTTP POST, JSON answers; one client in sequence; throughput "
          + concurrency + " clients)");
      report(latency.get(0), latency.get(2), directRate, agentRate);
      System.out.printf(Locale.ROOT, "baseline, Jetty's reverse proxy alone (one HTTP hop, nothing observed): p50 %.0f µs,"
          + " p99 %.0f µs, %.0f requests/s, RSS %d MiB; the agent's own share (agent minus this hop): p50 %.0f µs,"
          + " p99 %.0f µs%n",
          latency.get(1).median(0) / 1e3, latency.get(1).median(1) / 1e3, plainRate, plainMemory[0],
          difference(latency.get(1), latency.get(2), 0) / 1e3, difference(latency.get(1), latency.get(2), 1) / 1e3);
      System.out.printf(Locale.ROOT, "agent start: listening after %.0f ms, first proxied answer after %.0f ms%n",
          listeningMs, firstAnswerMs);
      System.out.printf(Locale.ROOT, "agent RSS after the run: %d MiB (peak %d MiB)%n", memory[0], memory[1]);
      reportDrops(work.resolve("http-agent.err"), "HTTP runs");
    } finally {
      for (Process process : new Process[] {agent, plain}) {
        if (process != null) {
          process.destroy();
          process.waitFor(30, TimeUnit.SECONDS);
        }
      }
      upstream.stop();
    }
  }

  private static void awaitListening(Process process) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    while (line != null && !line.startsWith("listening")) {
      line = out.readLine(); // JVM options may print first (a flight recording, for example)
    }
    if (line == null) {
      throw new IllegalStateException("a proxy process did not start (see its .err file)");
    }
  }

  private double httpThroughput(URI uri) throws Exception {
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      int clientNumber = c;
      Thread thread = new Thread(() -> {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long id = 1_000_000L * (clientNumber + 1);
        while (System.nanoTime() < until) {
          try {
            post(client, uri, "sess-bench-" + clientNumber, BenchMessages.call(id++));
            done.incrementAndGet();
          } catch (Exception e) {
            if (failed.getAndIncrement() == 0) {
              System.out.println("note: a request to " + uri + " failed during the throughput run: " + e);
            }
          }
        }
      });
      clients.add(thread);
      thread.start();
    }
    long start = System.nanoTime();
    for (Thread thread : clients) {
      thread.join();
    }
    if (failed.get() > 0) {
      System.out.println("note: " + failed.get() + " of " + (done.get() + failed.get()) + " requests to " + uri
          + " failed during the throughput run");
    }
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  private static void post(HttpClient client, URI uri, String session, String body) throws Exception {
    HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Mcp-Session-Id", session).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode() + " from " + uri);
    }
  }

  /** A minimal Streamable HTTP server: every POST gets its tools/call result as application/json. */
  private static Server upstream() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract.NonBlocking() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Content.Source.asString(request, StandardCharsets.UTF_8, new org.eclipse.jetty.util.Promise<>() {
          @Override
          public void succeeded(String body) {
            String id = BenchMessages.idOf(body);
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "application/json");
            response.getHeaders().put("Mcp-Session-Id", "sess-bench");
            response.write(true, ByteBuffer.wrap(BenchMessages.result(id == null ? "null" : id)
                .getBytes(StandardCharsets.UTF_8)), callback);
          }

          @Override
          public void failed(Throwable failure) {
            callback.failed(failure);
          }
        });
        return true;
      }
    });
    server.start();
    return server;
  }

  // ------------------------------------------------------------------ audit capacity

  /**
   * How many messages per second the agent's event thread turns into events (parse, typed
   * payloads, redaction, hash chain; no delivery), in this process: the ceiling on audited
   * traffic. The relay itself never waits for it.
   */
  private void auditCapacity() throws Exception {
    AgentConfig config = new AgentConfigLoader(work).load(Optional.empty(), Map.of(), Map.of("kafka.bootstrap", "none",
        "agent.id", "bench-capacity", "secrets.fingerprint-key", "A".repeat(43) + "=", "queue.max-events", "1000000",
        "queue.max-bytes", "1GiB"));
    SessionContext session = new SessionContext("bench", Transport.STDIO, "bench", null, List.of("bench"), null, "bench");
    double best = 0;
    long events = 0;
    for (int round = 0; round < 3; round++) {
      AgentRuntime runtime = AgentRuntime.start(config, line -> { }, EventSink.discard());
      int pairs = Math.max(requests * 4, 20_000);
      long start = System.nanoTime();
      for (int i = 0; i < pairs; i++) {
        runtime.trail().observe(Observation.Message.of(session, Instant.now(), Direction.CLIENT_TO_SERVER,
            BenchMessages.call(i).getBytes(StandardCharsets.UTF_8)));
        runtime.trail().observe(Observation.Message.of(session, Instant.now(), Direction.SERVER_TO_CLIENT,
            BenchMessages.result(Integer.toString(i)).getBytes(StandardCharsets.UTF_8)));
      }
      runtime.close();
      double seconds = (System.nanoTime() - start) / 1e9;
      best = Math.max(best, 2.0 * pairs / seconds);
      events = runtime.trail().eventsEmitted();
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "## audit capacity (event thread, in process, best of 3)%n%.0f messages/s"
        + " (tools/call requests and results; %d events per round)%n", best, events);
  }

  // ------------------------------------------------------------------ figures

  private static void report(Rounds direct, Rounds agent, double directRate, double agentRate) {
    System.out.println("| | p50 µs | p99 µs | requests/s |");
    System.out.println("|---|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| direct | %.0f | %.0f | %.0f |%n", direct.median(0) / 1e3, direct.median(1) / 1e3,
        directRate);
    System.out.printf(Locale.ROOT, "| through the agent | %.0f | %.0f | %.0f |%n", agent.median(0) / 1e3,
        agent.median(1) / 1e3, agentRate);
    System.out.printf(Locale.ROOT, "| **added by the agent** | **%.0f** | **%.0f** | %+.0f%% |%n",
        difference(direct, agent, 0) / 1e3, difference(direct, agent, 1) / 1e3,
        100 * (agentRate - directRate) / directRate);
  }

  /** The median over rounds of (b − a) for one percentile: what b adds, round by round. */
  private static double difference(Rounds a, Rounds b, int which) {
    double[] differences = new double[a.percentiles().size()];
    for (int i = 0; i < differences.length; i++) {
      differences[i] = b.percentiles().get(i)[which] - a.percentiles().get(i)[which];
    }
    Arrays.sort(differences);
    return differences[differences.length / 2];
  }

  private static double percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** VmRSS and VmHWM (peak) of a process, in MiB, from /proc (Linux). */
  private static long[] memoryMiB(long pid) {
    try {
      long rss = -1;
      long peak = -1;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        } else if (line.startsWith("VmHWM:")) {
          peak = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
      return new long[] {rss, peak};
    } catch (IOException | NumberFormatException e) {
      return new long[] {-1, -1};
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

package io.mcpaudit.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A real Kafka broker, schema registry and OpenSearch node running on loopback from their official
 * distributions, without Docker. The processes outlive the JVM that starts them; the run folder's
 * state file lets any later process attach to them, report on them or stop them.
 */
public final class LocalStack {

  private static final Path JVM_ROOT = Path.of("/usr/lib/jvm");
  private static final Duration POLL = Duration.ofMillis(250);
  private static final int TAIL_LINES = 12;

  private final Path runDir;
  private StackState state;
  private final Map<String, Component> components;
  private final Duration stopGrace;
  /** How each server was started, for restarting one; empty for a stack this JVM only attached to. */
  private final Map<String, Plan> plans;
  /** What Kafka clients need besides the bootstrap servers: empty for plaintext, the administrator's if secured. */
  private final Map<String, Object> kafkaClient;

  private LocalStack(Path runDir, StackState state, Map<String, Component> components, Duration stopGrace,
                     Map<String, Plan> plans, Map<String, Object> kafkaClient) {
    this.runDir = runDir;
    this.state = state;
    this.components = components;
    this.stopGrace = stopGrace;
    this.plans = plans;
    this.kafkaClient = kafkaClient;
  }

  /**
   * Fetches the distributions if needed, starts the three servers in parallel and waits until each
   * serves. On any problem, whatever was started is stopped again and every problem is reported.
   *
   * @param progress receives one human-readable line per step
   */
  public static LocalStack start(LocalStackConfig config, Consumer<String> progress) throws StackException {
    Consumer<String> say = line -> {
      synchronized (progress) {
        progress.accept(line);
      }
    };
    Path runDir = config.runDir();
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new StackException("cannot create the run folder " + runDir + ": " + e.getMessage(), e);
    }
    // Two launchers on one folder would fight over its ports and files; the second waits for the first.
    try (FileChannel channel = FileChannel.open(runDir.resolve(".launch.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock();
      try {
        return startLocked(config, say);
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new StackException("cannot lock the run folder " + runDir + ": " + e.getMessage(), e);
    }
  }

  private static LocalStack startLocked(LocalStackConfig config, Consumer<String> say) throws StackException {
    Path runDir = config.runDir();
    if (attach(runDir).isPresent()) {
      throw new StackException("a local stack is already running in " + runDir + "; stop it first");
    }
    if (stopAt(runDir, config.stopGrace())) {
      say.accept("cleaned up a stack that had stopped working in " + runDir);
    }
    Map<String, Component> components = components(kafka(config.kafkaSecurity()),
        new OpenSearchServer(StackVersions.bundled().openSearch(), config.openSearchSecurity()));
    List<Plan> plans = plan(config, components);
    fetch(config, plans, say);

    ExecutorService pool = Executors.newFixedThreadPool(plans.size(), r -> {
      Thread t = new Thread(r, "local-stack-launch");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Outcome<Started>> launched = inParallel(pool, plans, p -> launch(p, false));
      List<Started> started = launched.stream().map(Outcome::value).filter(v -> v != null).toList();
      StackState state = new StackState(Instant.now(), started.stream().map(Started::record).toList());
      writeState(runDir, state);
      List<String> problems = launched.stream().map(Outcome::problem).filter(p -> p != null)
          .collect(Collectors.toCollection(ArrayList::new));
      if (problems.isEmpty()) {
        inParallel(pool, started, s -> awaitReady(s, config.readyTimeout(), say)).stream()
            .map(Outcome::problem).filter(p -> p != null).forEach(problems::add);
      }
      if (!problems.isEmpty()) {
        stopQuietly(runDir, config.stopGrace());
        throw StackException.of(problems);
      }
      Map<String, Plan> byName = new LinkedHashMap<>();
      plans.forEach(p -> byName.put(p.component().name(), p));
      KafkaSecurity security = config.kafkaSecurity();
      return new LocalStack(runDir, state, components, config.stopGrace(), byName,
          security == null ? Map.of() : security.clientConfig(security.admin()));
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The healthy stack running in {@code runDir}: every recorded server is alive, still that server,
   * and answers its readiness request. Empty otherwise, including when one of them died.
   */
  public static Optional<LocalStack> attach(Path runDir) {
    Path dir = runDir.toAbsolutePath().normalize();
    Optional<StackState> state;
    try {
      state = StackState.read(dir);
    } catch (StackException e) {
      return Optional.empty();
    }
    Map<String, Component> components = running(dir);
    if (state.isEmpty() || !state.get().servers().stream().map(StackState.Server::name).toList()
        .containsAll(components.keySet())) {
      return Optional.empty();
    }
    for (StackState.Server s : state.get().servers()) {
      Component c = components.get(s.name());
      if (c == null || ServerProcess.ours(s.pid(), ServerProcess.marker(s.name(), dir)).isEmpty() || !c.ready(s.port())) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(new LocalStack(dir, state.get(), components, LocalStackConfig.DEFAULT_STOP_GRACE, Map.of(),
          KafkaServer.adminClientConfig(dir)));
    } catch (StackException e) {
      return Optional.empty();
    }
  }

  /** What the state file in {@code runDir} records, checked against the live processes; empty when there is none. */
  public static List<ComponentStatus> statusAt(Path runDir) throws StackException {
    Path dir = runDir.toAbsolutePath().normalize();
    Optional<StackState> state = StackState.read(dir);
    return state.isEmpty() ? List.of() : status(dir, state.get(), running(dir));
  }

  /**
   * Stops every server of the stack in {@code runDir} that still runs, healthy or not, and removes
   * its state; works from any JVM. Returns whether there was anything to stop or clean up.
   */
  public static boolean stopAt(Path runDir) throws StackException {
    return stopAt(runDir.toAbsolutePath().normalize(), LocalStackConfig.DEFAULT_STOP_GRACE);
  }

  /**
   * Where clients reach the servers. For a secured Kafka this includes the administrator's login
   * ({@link StackEndpoints#kafkaClientConfig()}); components get their own users' settings from
   * {@link KafkaSecurity#clientConfig(KafkaSecurity.ScramUser)}.
   */
  public StackEndpoints endpoints() {
    return new StackEndpoints(
        endpointOf("kafka"),
        URI.create(endpointOf("schema-registry")),
        URI.create(endpointOf("opensearch")),
        kafkaClient);
  }

  public List<ComponentStatus> status() {
    return status(runDir, state, components);
  }

  public Path runDir() {
    return runDir;
  }

  /** Asks each server to shut down (TERM), kills what is left after the grace period, removes the state. */
  public void stop() throws StackException {
    stopAt(runDir, stopGrace);
  }

  // ---- faults, for reliability tests ---------------------------------------------------------------

  /** Kills one server at once (SIGKILL: a crash, no shutdown), leaving its data for {@link #restart}. */
  public void kill(String server) throws StackException {
    ProcessHandle process = processOf(server);
    process.destroyForcibly();
    awaitExit(List.of(process), Duration.ofSeconds(30));
    if (process.isAlive()) {
      throw new StackException("could not kill " + server + " (pid " + process.pid() + ")");
    }
  }

  /** Stops one server the orderly way (TERM, then KILL after the grace period), leaving its data. */
  public void stopServer(String server) throws StackException {
    ProcessHandle process = processOf(server);
    process.destroy();
    awaitExit(List.of(process), stopGrace);
    if (process.isAlive()) {
      kill(server);
    }
  }

  /**
   * Starts a killed or stopped server again, on the same ports and with the data it left, and
   * waits until it serves. Only for a stack started by this JVM.
   */
  public void restart(String server, Duration timeout, Consumer<String> progress) throws StackException {
    Plan plan = plans.get(server);
    if (plan == null) {
      throw new StackException("cannot restart " + server + ": this stack was not started by this process");
    }
    Started started = launch(plan, true);
    List<StackState.Server> servers = new ArrayList<>(state.servers());
    servers.replaceAll(s -> s.name().equals(server) ? started.record() : s);
    state = new StackState(state.started(), servers);
    writeState(runDir, state);
    awaitReady(started, timeout, progress);
  }

  private ProcessHandle processOf(String server) throws StackException {
    StackState.Server s = state.server(server)
        .orElseThrow(() -> new StackException("no server named " + server + " in the stack in " + runDir));
    return ServerProcess.ours(s.pid(), ServerProcess.marker(server, runDir))
        .orElseThrow(() -> new StackException(server + " (pid " + s.pid() + ") is not running"));
  }

  private String endpointOf(String name) {
    StackState.Server s = state.server(name).orElseThrow();
    return components.get(name).endpoint(s.port());
  }

  private static KafkaServer kafka(KafkaSecurity security) {
    StackVersions v = StackVersions.bundled();
    return new KafkaServer(v.kafka(), v.log4j(), security);
  }

  private static KafkaServer runningKafka(Path runDir) {
    StackVersions v = StackVersions.bundled();
    return KafkaServer.runningIn(runDir, v.kafka(), v.log4j());
  }

  /** The servers of the stack running in {@code runDir}, as its files describe them. */
  private static Map<String, Component> running(Path runDir) {
    return components(runningKafka(runDir), OpenSearchServer.runningIn(runDir, StackVersions.bundled().openSearch()));
  }

  private static Map<String, Component> components(KafkaServer kafka, OpenSearchServer openSearch) {
    StackVersions v = StackVersions.bundled();
    Map<String, Component> all = new LinkedHashMap<>();
    for (Component c : List.of(kafka, new SchemaRegistryServer(v.apicurio()), openSearch)) {
      all.put(c.name(), c);
    }
    return all;
  }

  private static List<ComponentStatus> status(Path runDir, StackState state, Map<String, Component> components) {
    List<ComponentStatus> result = new ArrayList<>();
    for (StackState.Server s : state.servers()) {
      Component c = components.get(s.name());
      boolean alive = ServerProcess.ours(s.pid(), ServerProcess.marker(s.name(), runDir)).isPresent();
      boolean ready = alive && c != null && c.ready(s.port());
      String endpoint = c == null ? Ports.HOST + ":" + s.port() : c.endpoint(s.port());
      result.add(new ComponentStatus(s.name(), s.pid(), alive, ready, endpoint, s.log(),
          alive ? ServerProcess.residentBytes(s.pid()) : 0));
    }
    return result;
  }

  // ---- starting ------------------------------------------------------------------------------

  /** One server about to start: everything decided, nothing started. */
  private record Plan(Component component, Jdk jdk, int port, int internalPort, Path runDir, Path distribution) {
    Plan withDistribution(Path dir) {
      return new Plan(component, jdk, port, internalPort, runDir, dir);
    }
  }

  /** A server whose process was started, not yet known to serve. */
  private record Started(Plan plan, Instant began, Process process, StackState.Server record) {}

  /** Either a value or a problem line, so that parallel steps report every problem, not just the first. */
  private record Outcome<T>(T value, String problem) {}

  @FunctionalInterface
  private interface Step<A, B> {
    B apply(A a) throws StackException;
  }

  /** Checks everything that can be wrong before anything is fetched or started: JDKs and ports. */
  private static List<Plan> plan(LocalStackConfig config, Map<String, Component> components) throws StackException {
    List<String> problems = new ArrayList<>();
    JdkSelector jdks = JdkSelector.forMachine(config.javaHome(), JVM_ROOT);
    Map<String, Integer> fixed = Map.of(
        "kafka", config.kafkaPort(), "schema-registry", config.schemaRegistryPort(), "opensearch", config.openSearchPort());
    Map<String, Jdk> chosen = new LinkedHashMap<>();
    for (Component c : components.values()) {
      try {
        chosen.put(c.name(), jdks.select(c.title(), c.jdks()));
      } catch (StackException e) {
        problems.add(e.getMessage());
      }
      int port = fixed.get(c.name());
      if (port > 0) {
        Ports.busy(port, c.title()).ifPresent(problems::add);
      }
    }
    if (config.kafkaSecurity() != null) {
      KafkaServer.checkStores(config.kafkaSecurity()).ifPresent(problems::add);
    }
    if (components.get("opensearch") instanceof OpenSearchServer openSearch) {
      problems.addAll(openSearch.check());
    }
    if (fixed.values().stream().filter(p -> p > 0).distinct().count()
        != fixed.values().stream().filter(p -> p > 0).count()) {
      problems.add("the configured ports " + fixed + " must differ from each other");
    }
    if (!problems.isEmpty()) {
      throw StackException.of(problems);
    }
    // Ask for spares so that a free port equal to a configured one can be skipped.
    List<Integer> free = new ArrayList<>(Ports.free(2 * components.size() + 3));
    free.removeAll(fixed.values());
    List<Plan> plans = new ArrayList<>();
    for (Component c : components.values()) {
      int port = fixed.get(c.name()) > 0 ? fixed.get(c.name()) : free.remove(0);
      plans.add(new Plan(c, chosen.get(c.name()), port, free.remove(0), config.runDir(), null));
    }
    return plans;
  }

  /** One after the other: parallel Maven runs would share, and could corrupt, one local repository. */
  private static void fetch(LocalStackConfig config, List<Plan> plans, Consumer<String> say) throws StackException {
    Path root = config.cacheDir() != null ? config.cacheDir() : DistributionCache.defaultRoot();
    DistributionCache cache = null;
    for (int i = 0; i < plans.size(); i++) {
      Distribution d = plans.get(i).component().distribution();
      Optional<Path> dir = DistributionCache.cachedIn(root, d);
      if (dir.isEmpty()) {
        if (cache == null) {
          cache = new DistributionCache(root, Maven.locate(config.maven()), StackVersions.bundled().dependencyPlugin());
        }
        dir = Optional.of(cache.fetch(d, say));
      }
      plans.set(i, plans.get(i).withDistribution(dir.get()));
    }
  }

  private static Started launch(Plan p, boolean restart) throws StackException {
    Component c = p.component();
    Instant began = Instant.now();
    Path log = p.runDir().resolve("logs").resolve(c.name() + ".log");
    Path workDir = p.runDir().resolve(c.name());
    if (!restart) {
      try {
        FileTrees.delete(workDir); // each start is a clean slate: schema ids and Kafka data never disagree
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
      } catch (IOException e) {
        throw new StackException("cannot prepare " + workDir + " for " + c.title() + ": " + e.getMessage(), e);
      }
    }
    String marker = ServerProcess.marker(c.name(), p.runDir());
    Process process = c.launch(new Launch(p.runDir(), workDir, p.distribution(), p.jdk(), p.port(), p.internalPort(), log,
        marker, restart));
    return new Started(p, began, process,
        new StackState.Server(c.name(), process.pid(), p.port(), p.internalPort(), log, Instant.now()));
  }

  private static Void awaitReady(Started s, Duration timeout, Consumer<String> say) throws StackException {
    Component c = s.plan().component();
    long deadline = System.nanoTime() + timeout.toNanos();
    Path log = s.record().log();
    while (true) {
      if (!s.process().isAlive()) {
        throw new StackException(c.title() + " exited early with code " + s.process().exitValue() + "; log: " + log
            + System.lineSeparator() + ServerProcess.tail(log, TAIL_LINES));
      }
      if (c.ready(s.plan().port())) {
        say.accept(String.format(Locale.ROOT, "%s ready on %s in %.1f s (Java %s)", c.name(), c.endpoint(s.plan().port()),
            Duration.between(s.began(), Instant.now()).toMillis() / 1000.0, s.plan().jdk().version()));
        return null;
      }
      if (System.nanoTime() > deadline) {
        throw new StackException(c.title() + " did not become ready within " + timeout.toSeconds() + " s; log: " + log
            + System.lineSeparator() + ServerProcess.tail(log, TAIL_LINES));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException("interrupted while waiting for " + c.title(), e);
      }
    }
  }

  private static <A, B> List<Outcome<B>> inParallel(ExecutorService pool, List<A> inputs, Step<A, B> step) {
    List<CompletableFuture<Outcome<B>>> futures = inputs.stream()
        .map(a -> CompletableFuture.supplyAsync(() -> {
          try {
            return new Outcome<B>(step.apply(a), null);
          } catch (StackException e) {
            return new Outcome<B>(null, e.getMessage());
          } catch (RuntimeException e) {
            return new Outcome<B>(null, "unexpected failure: " + e);
          }
        }, pool))
        .toList();
    try {
      return futures.stream().map(CompletableFuture::join).toList();
    } catch (CompletionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private static void writeState(Path runDir, StackState state) throws StackException {
    try {
      state.write(runDir);
    } catch (IOException e) {
      stopQuietly(runDir, LocalStackConfig.DEFAULT_STOP_GRACE);
      throw new StackException("cannot write the state file in " + runDir + ": " + e.getMessage(), e);
    }
  }

  // ---- stopping ------------------------------------------------------------------------------

  private static boolean stopAt(Path runDir, Duration grace) throws StackException {
    Optional<StackState> state;
    boolean unreadable = false;
    try {
      state = StackState.read(runDir);
    } catch (StackException e) {
      state = Optional.empty();
      unreadable = true;
    }
    // The state names the servers; the marker scan also finds one started just before a launcher died.
    Map<Long, ProcessHandle> targets = new LinkedHashMap<>();
    state.ifPresent(st -> st.servers().forEach(s ->
        ServerProcess.ours(s.pid(), ServerProcess.marker(s.name(), runDir)).ifPresent(h -> targets.put(h.pid(), h))));
    ServerProcess.allOf(runDir).forEach(h -> targets.putIfAbsent(h.pid(), h));
    if (state.isEmpty() && !unreadable && targets.isEmpty()) {
      return false;
    }
    targets.values().forEach(ProcessHandle::destroy);
    awaitExit(targets.values(), grace);
    targets.values().stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    awaitExit(targets.values(), Duration.ofSeconds(10));
    List<String> survivors = targets.values().stream().filter(ProcessHandle::isAlive)
        .map(h -> "could not stop process " + h.pid() + " of the stack in " + runDir + "; kill it by hand")
        .toList();
    if (!survivors.isEmpty()) {
      throw StackException.of(survivors);
    }
    try {
      StackState.delete(runDir);
      Unprivileged.removeReachableFolderOf(runDir);
    } catch (IOException e) {
      throw new StackException("stopped the stack in " + runDir + " but cannot clean up after it: " + e.getMessage(), e);
    }
    return true;
  }

  private static void stopQuietly(Path runDir, Duration grace) {
    try {
      stopAt(runDir, grace);
    } catch (StackException ignored) {
      // the caller is already reporting the failure that made it stop; this one would hide it
    }
  }

  private static void awaitExit(Iterable<ProcessHandle> handles, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle h : handles) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          h.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (Exception e) {
          // still running (or interrupted): the caller checks isAlive and escalates
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }
}

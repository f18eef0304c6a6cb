package io.mcpaudit.router.delivery;

import io.mcpaudit.router.config.DeliveryPolicy;
import io.mcpaudit.router.config.Durations;
import io.mcpaudit.router.destination.Destination;
import io.mcpaudit.router.destination.OutgoingRequest;
import io.mcpaudit.router.destination.Page;
import io.mcpaudit.router.guard.DestinationGuard;
import io.mcpaudit.router.guard.ForbiddenDestinationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one page to one destination and retries what is worth retrying: 429 and 5xx responses,
 * timeouts and connection errors, with exponential backoff and jitter, waiting exactly as long as
 * a {@code Retry-After} header asks. Other 4xx responses, redirects (never followed, so a
 * destination cannot bounce the router to an internal address), TLS failures and destinations
 * the guard refuses are permanent. Attempts and total time are bounded by the delivery policy.
 */
public final class HttpDelivery implements Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(HttpDelivery.class);
  private static final int RESPONSE_SNIPPET = 300;

  private final DeliveryPolicy policy;
  private final DestinationGuard guard;
  private final HttpClient client;
  private final Clock clock;
  private final Pause pause;
  private final RandomGenerator random;

  public HttpDelivery(DeliveryPolicy policy, DestinationGuard guard, Clock clock, Pause pause, RandomGenerator random) {
    this.policy = policy;
    this.guard = guard;
    this.clock = clock;
    this.pause = pause;
    this.random = random;
    this.client = HttpClient.newBuilder()
        .connectTimeout(policy.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /** With the real clock, sleeping between attempts. */
  public static HttpDelivery create(DeliveryPolicy policy, DestinationGuard guard) {
    return new HttpDelivery(policy, guard, Clock.systemUTC(), Pause.sleeping(), RandomGenerator.getDefault());
  }

  /** The same delivery, waiting between attempts with {@code pause} (the Kafka router polls while it waits). */
  public HttpDelivery withPause(Pause pause) {
    return new HttpDelivery(policy, guard, clock, pause, random);
  }

  @Override
  public DeliveryResult deliver(Destination destination, Page page) {
    String key = page.key().length() > 120 ? page.key().substring(0, 119) + "…" : page.key();
    Instant start = clock.instant();
    int attempt = 0;
    while (true) {
      attempt++;
      Attempt result = attempt(destination, page);
      if (result.status() >= 200 && result.status() < 300) {
        LOG.info("{}: delivered page {} (HTTP {}, attempt {})", destination.name(), key, result.status(), attempt);
        return new DeliveryResult(DeliveryResult.Status.DELIVERED, attempt, result.status(),
            "HTTP " + result.status() + (attempt == 1 ? "" : " after " + attempt + " attempts"));
      }
      String problem = destination.redact(result.problem());
      if (!result.retryable()) {
        LOG.warn("{}: page {} rejected, not retried: {}", destination.name(), key, problem);
        return new DeliveryResult(DeliveryResult.Status.REJECTED, attempt, result.status(), problem);
      }
      Duration elapsed = Duration.between(start, clock.instant());
      if (attempt >= policy.maxAttempts()) {
        String detail = "gave up after " + attempt + " attempts in " + Durations.format(round(elapsed))
            + " (delivery.max_attempts); last: " + problem;
        LOG.warn("{}: page {} {}", destination.name(), key, detail);
        return new DeliveryResult(DeliveryResult.Status.EXHAUSTED, attempt, result.status(), detail);
      }
      int retry = attemptIndex(attempt);
      Duration wait = result.retryAfter().orElseGet(() -> backoff(policy, random, retry));
      if (elapsed.plus(wait).compareTo(policy.retryBudget()) > 0) {
        String detail = "retry budget of " + Durations.format(policy.retryBudget()) + " (delivery.retry_budget) used up"
            + " after " + attempt + " attempts" + (result.retryAfter().isPresent()
                ? "; the destination asked to retry after " + Durations.format(round(wait)) : "")
            + "; last: " + problem;
        LOG.warn("{}: page {} {}", destination.name(), key, detail);
        return new DeliveryResult(DeliveryResult.Status.EXHAUSTED, attempt, result.status(), detail);
      }
      LOG.warn("{}: attempt {} for page {} failed ({}); retrying in {}", destination.name(), attempt, key,
          problem, Durations.format(round(wait)));
      if (!pause.pause(wait)) {
        return new DeliveryResult(DeliveryResult.Status.STOPPED, attempt, result.status(),
            "router stopping; last attempt: " + problem);
      }
    }
  }

  private static int attemptIndex(int attempt) {
    return Math.max(0, attempt - 1);
  }

  /** Exponential from the initial backoff, capped, with "equal jitter": half fixed, half random. */
  static Duration backoff(DeliveryPolicy policy, RandomGenerator random, int retry) {
    long initial = policy.initialBackoff().toMillis();
    long cap = policy.maxBackoff().toMillis();
    long exp = retry >= 30 ? cap : Math.min(cap, initial << retry);
    long half = exp / 2;
    return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)) + (exp % 2));
  }

  private static Duration round(Duration d) {
    return d.toMillis() >= 10_000 ? Duration.ofSeconds(Math.round(d.toMillis() / 1000.0)) : d.truncatedTo(
        java.time.temporal.ChronoUnit.MILLIS);
  }

  /** One request: a status (0 when there was no response), whether to retry, and what went wrong. */
  private record Attempt(int status, boolean retryable, Optional<Duration> retryAfter, String problem) {}

  private Attempt attempt(Destination destination, Page page) {
    String where = destination.endpoint().display();
    try {
      guard.check(destination.endpoint());
    } catch (ForbiddenDestinationException e) {
      return new Attempt(0, false, Optional.empty(), "refused by the destination guard: " + e.getMessage());
    } catch (UnknownHostException e) {
      return new Attempt(0, true, Optional.empty(), "host of " + where + " does not resolve");
    }
    OutgoingRequest out = destination.render(page, clock.instant());
    HttpRequest.Builder request = HttpRequest.newBuilder(out.uri())
        .timeout(policy.requestTimeout())
        .header("User-Agent", "mcp-audit-alert-router")
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.body()));
    out.headers().forEach(request::header);
    try {
      HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      String snippet = snippet(response.body());
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return new Attempt(status, false, Optional.empty(), "");
      }
      String problem = "HTTP " + status + " from " + where + (snippet.isEmpty() ? "" : ": " + snippet);
      if (status == 429 || status >= 500) {
        Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
            .flatMap(v -> RetryAfter.parse(v, clock.instant()));
        return new Attempt(status, true, retryAfter, problem);
      }
      if (status >= 300 && status < 400) {
        problem += " (redirects are not followed; configure the final URL)";
      }
      return new Attempt(status, false, Optional.empty(), problem);
    } catch (HttpConnectTimeoutException e) {
      return new Attempt(0, true, Optional.empty(), "could not connect to " + where + " within "
          + Durations.format(policy.connectTimeout()));
    } catch (HttpTimeoutException e) {
      return new Attempt(0, true, Optional.empty(), "no response from " + where + " within "
          + Durations.format(policy.requestTimeout()) + " (delivery.request_timeout)");
    } catch (IOException e) {
      Optional<SSLException> tls = causeOf(e, SSLException.class);
      if (tls.isPresent()) {
        return new Attempt(0, false, Optional.empty(), "TLS handshake with " + where + " failed ("
            + tls.get().getMessage() + "); the server's certificate is not trusted by this JVM or does not match"
            + " its name. Fix the certificate or add its CA to the JVM trust store; not retried");
      }
      if (causeOf(e, ConnectException.class).isPresent()) {
        return new Attempt(0, true, Optional.empty(), "connection to " + where + " refused");
      }
      return new Attempt(0, true, Optional.empty(), "connection to " + where + " failed: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(0, false, Optional.empty(), "interrupted while waiting for " + where);
    }
  }

  private static <T extends Throwable> Optional<T> causeOf(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  /** The start of a response body, on one line, for error messages. */
  private static String snippet(InputStream body) {
    try (body) {
      byte[] bytes = body.readNBytes(RESPONSE_SNIPPET * 4);
      String text = new String(bytes, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
      return text.length() > RESPONSE_SNIPPET ? text.substring(0, RESPONSE_SNIPPET) + "…" : text;
    } catch (IOException e) {
      return "";
    }
  }
}

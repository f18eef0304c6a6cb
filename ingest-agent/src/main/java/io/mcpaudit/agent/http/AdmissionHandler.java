package io.mcpaudit.agent.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What a request must pass before it is forwarded: its {@code Host} and {@code Origin} must be
 * allowed (DNS rebinding protection) and its body must fit the size limit. A refused request
 * gets a 4xx whose JSON-RPC error body says why, and never reaches the server. An admitted
 * body is read in full first, so that a too-large chunked body is refused before any of it is sent.
 */
final class AdmissionHandler extends Handler.Wrapper {
  /**
   * A refused request's body is read and thrown away up to this much before the refusal is sent:
   * a client still sending when the connection closes may lose the answer that says why.
   */
  static final long DRAIN_LIMIT = 64L << 20;

  private final OriginGuard guard;
  private final long maxRequestBytes;
  private final HttpTrafficRecorder recorder;
  private final Consumer<String> status;
  private final AtomicLong refused = new AtomicLong();

  AdmissionHandler(OriginGuard guard, long maxRequestBytes, HttpTrafficRecorder recorder, Consumer<String> status,
                   Handler proxy) {
    super(proxy);
    this.guard = guard;
    this.maxRequestBytes = maxRequestBytes;
    this.recorder = recorder;
    this.status = status;
  }

  /**
   * Nothing here blocks (bodies are read asynchronously, observations are handed over without
   * waiting), so requests are handled on the thread that read them: one thread hand-off less.
   */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  /** Requests refused so far (any reason). */
  long refused() {
    return refused.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    HttpFields headers = request.getHeaders();
    Optional<String> forbidden = guard.check(headers.get(HttpHeader.HOST), headers.get(HttpHeader.ORIGIN));
    if (forbidden.isPresent()) {
      new Drain(request, response, callback, HttpStatus.FORBIDDEN_403, forbidden.get(), 0).read();
      return true;
    }
    long declared = request.getLength();
    if (declared > maxRequestBytes) {
      new Drain(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge(declared + " bytes"), 0)
          .read();
      return true;
    }
    boolean hasBody = declared > 0 || declared < 0 && headers.contains(HttpHeader.TRANSFER_ENCODING);
    if (!hasBody) {
      forward(request, null, response, callback);
      return true;
    }
    new BodyReader(request, response, callback).read();
    return true;
  }

  private String tooLarge(String size) {
    return "the request body (" + size + ") is larger than this agent accepts (" + maxRequestBytes
        + " bytes); the agent's operator can raise http.max-request-bytes";
  }

  private void forward(Request request, byte[] body, Response response, Callback callback) {
    Request forwarded = body == null ? request : new BufferedRequest(request, body);
    ObservedExchange exchange = null;
    try {
      exchange = recorder.begin(request, body);
      forwarded.setAttribute(ObservedExchange.ATTRIBUTE, exchange);
      exchange.requestArrived();
    } catch (RuntimeException e) {
      // Observation failed: the request is forwarded all the same.
      recorder.trouble(e);
      if (exchange == null) {
        forwarded.removeAttribute(ObservedExchange.ATTRIBUTE);
      }
    }
    try {
      if (!super.handle(forwarded, response, callback)) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      }
    } catch (Exception e) {
      callback.failed(e);
    }
  }

  private void refuse(Request request, Response response, Callback callback, int code, String reason) {
    if (refused.getAndIncrement() == 0) {
      status.accept("mcp-audit agent: refused a request from " + Request.getRemoteAddr(request) + " with HTTP "
          + code + ": " + reason + " (further refusals are not reported here)");
    }
    response.setStatus(code);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    String body = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":"
        + jsonString("mcp-audit agent: " + reason) + "}}";
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }

  static String jsonString(String text) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
  }

  /** Reads a request body up to the limit without blocking a thread, then forwards or refuses it. */
  private final class BodyReader {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);

    BodyReader(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    void read() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this::read);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          callback.failed(chunk.getFailure());
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        int length = bytes.remaining();
        if (body.size() + (long) length > maxRequestBytes) {
          boolean last = chunk.isLast();
          chunk.release();
          String reason = tooLarge("more than " + maxRequestBytes + " bytes");
          if (last) {
            refuse(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, reason);
          } else {
            new Drain(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, reason, body.size() + length)
                .read();
          }
          return;
        }
        if (length > 0) {
          byte[] copy = new byte[length];
          bytes.get(copy);
          body.write(copy, 0, length);
        }
        boolean last = chunk.isLast();
        chunk.release();
        if (last) {
          forward(request, body.toByteArray(), response, callback);
          return;
        }
      }
    }
  }

  /**
   * Reads what is left of a refused request's body and throws it away, then sends the refusal;
   * past {@link #DRAIN_LIMIT} it stops reading and closes the connection after the refusal.
   */
  private final class Drain {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final int code;
    private final String reason;
    private long drained;

    Drain(Request request, Response response, Callback callback, int code, String reason, long alreadyRead) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.code = code;
      this.reason = reason;
      this.drained = alreadyRead;
    }

    void read() {
      while (true) {
        if (drained > DRAIN_LIMIT) {
          response.getHeaders().put(HttpHeader.CONNECTION, "close");
          refuse(request, response, callback, code, reason);
          return;
        }
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this::read);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          // The client went away or sent a broken body: answer anyway, the connection closes.
          refuse(request, response, callback, code, reason);
          return;
        }
        drained += chunk.remaining();
        boolean last = chunk.isLast();
        chunk.release();
        if (last) {
          refuse(request, response, callback, code, reason);
          return;
        }
      }
    }
  }

  /** The request with its body already read: it serves the bytes again, and asks for no 100 Continue. */
  static final class BufferedRequest extends Request.Wrapper {
    private final byte[] body;
    private final HttpFields headers;
    private boolean served;

    BufferedRequest(Request request, byte[] body) {
      super(request);
      this.body = body;
      HttpFields.Mutable copy = HttpFields.build(request.getHeaders().size());
      for (HttpField field : request.getHeaders()) {
        if (field.getHeader() != HttpHeader.EXPECT) {
          copy.add(field);
        }
      }
      this.headers = copy.asImmutable();
    }

    @Override
    public HttpFields getHeaders() {
      return headers;
    }

    @Override
    public long getLength() {
      return body.length;
    }

    @Override
    public Content.Chunk read() {
      if (served) {
        return Content.Chunk.EOF;
      }
      served = true;
      return Content.Chunk.from(ByteBuffer.wrap(body), true);
    }

    @Override
    public boolean consumeAvailable() {
      served = true;
      return true;
    }

    @Override
    public void demand(Runnable demandCallback) {
      demandCallback.run();
    }
  }
}

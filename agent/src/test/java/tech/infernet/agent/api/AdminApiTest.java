package tech.infernet.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.engine.InstantRunner;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.store.Store;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class AdminApiTest {
  @TempDir Path dir;
  private Store store;
  private JobEngine engine;
  private int port;
  private HttpClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws Exception {
    store = Store.open(dir.resolve("agent.db"), 2);
    engine = InstantRunner.engine(store, dir, 2);
    engine.start();
    client = vertx.createHttpClient();
    new AdminApi(vertx, engine, new AdminApi.StatusInfo("ab", "test", Map.of("container", "available")))
        .listen("127.0.0.1", 0).onComplete(ctx.succeeding(s -> {
          port = s.actualPort();
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop() {
    engine.close();
    store.close();
  }

  private io.vertx.core.Future<HttpClientResponse> send(HttpMethod m, String path, String body,
      Map<String, String> headers) {
    RequestOptions o = new RequestOptions().setMethod(m).setHost("127.0.0.1").setPort(port).setURI(path);
    headers.forEach(o::addHeader);
    return client.request(o).compose(req -> body == null ? req.send() : req.send(body));
  }

  @Test
  void malformedAndInjectedSpecsGetStableCodesAndCreateNoJob(VertxTestContext ctx) {
    send(HttpMethod.POST, "/jobs", "{\"image\":", Map.of())
        .compose(r -> {
          ctx.verify(() -> assertEquals(400, r.statusCode()));
          return r.body();
        })
        .compose(b -> {
          ctx.verify(() -> assertEquals("MALFORMED_JSON",
              new JsonObject(b).getJsonObject("error").getString("code")));
          return send(HttpMethod.POST, "/jobs", "{\"image\":\"localhost/x\",\"args\":\"id; rm -rf /\"}", Map.of());
        })
        .compose(HttpClientResponse::body)
        .onComplete(ctx.succeeding(b -> ctx.verify(() -> {
          assertEquals("ARGS_NOT_ARGV", new JsonObject(b).getJsonObject("error").getString("code"));
          assertEquals(0, store.jobs(java.util.List.of(), 10).size());
          ctx.completeNow();
        })));
  }

  @Test
  void eventsReplayFromLastEventIdOverSse(VertxTestContext ctx) {
    send(HttpMethod.POST, "/jobs", "{\"image\":\"localhost/x:1\"}", Map.of("X-Infernet-Owner", "alice"))
        .compose(HttpClientResponse::body)
        .compose(b -> {
          String id = new JsonObject(b).getString("id");
          return send(HttpMethod.GET, "/jobs/" + id + "/events", null, Map.of("Last-Event-ID", "2"));
        })
        .compose(HttpClientResponse::body)
        .onComplete(ctx.succeeding(sse -> ctx.verify(() -> {
          String text = sse.toString();
          assertTrue(text.startsWith(": infernet-agent events"), text);
          assertTrue(!text.contains("\nid: 1\n") && !text.contains("\nid: 2\n"), "replay starts after 2");
          assertTrue(text.contains("id: 3\n"), text);
          assertTrue(text.contains("\"state\":\"SUCCEEDED\""), text);
          assertTrue(text.contains("hello from"), text);
          ctx.completeNow();
        })));
  }

  @Test
  void metricsAreInPrometheusTextFormat(VertxTestContext ctx) {
    send(HttpMethod.GET, "/metrics", null, Map.of())
        .onComplete(ctx.succeeding(r -> r.body().onComplete(ctx.succeeding((Buffer b) -> ctx.verify(() -> {
          assertTrue(r.getHeader("content-type").startsWith("text/plain"));
          String t = b.toString();
          assertTrue(t.contains("# TYPE infernet_jobs gauge"), t);
          assertTrue(t.contains("infernet_jobs{state=\"QUEUED\"} 0"), t);
          assertTrue(t.contains("infernet_queue_depth 0"), t);
          assertTrue(t.contains("infernet_runner_errors_total 0"), t);
          ctx.completeNow();
        })))));
  }

  @Test
  void healthAndStatusAnswer(VertxTestContext ctx) {
    send(HttpMethod.GET, "/status", null, Map.of()).compose(HttpClientResponse::body)
        .onComplete(ctx.succeeding(b -> ctx.verify(() -> {
          JsonObject s = new JsonObject(b);
          assertEquals("ab", s.getString("publicKey"));
          assertEquals("available", s.getJsonObject("runners").getString("container"));
          ctx.completeNow();
        })));
  }

  @Test
  void aFinishedJobsStreamEndsWhenTheClientHasItsLastEvent(VertxTestContext ctx) {
    send(HttpMethod.POST, "/jobs", "{\"image\":\"localhost/x:1\"}", Map.of())
        .compose(HttpClientResponse::body)
        .compose(b -> {
          String id = new JsonObject(b).getString("id");
          long end = System.currentTimeMillis() + 10_000;
          while (!store.job(new tech.infernet.agent.jobs.JobId(id)).orElseThrow().state().isTerminal()
              && System.currentTimeMillis() < end) {
            Thread.onSpinWait();
          }
          long lastSeq = store.events(new tech.infernet.agent.jobs.JobId(id), 0, 100).size();
          // at its last event, and past it: both streams must end (the body completes)
          return send(HttpMethod.GET, "/jobs/" + id + "/events", null, Map.of("Last-Event-ID", "" + lastSeq))
              .compose(HttpClientResponse::body)
              .compose(first -> send(HttpMethod.GET, "/jobs/" + id + "/events", null,
                  Map.of("Last-Event-ID", "" + (lastSeq + 50))).compose(HttpClientResponse::body)
                  .map(second -> first + "|" + second));
        })
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertEquals(": infernet-agent events\n\n|: infernet-agent events\n\n", both);
          ctx.completeNow();
        })));
  }
}

package tech.infernet.mobile.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.firebase.FirebaseApp;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.mobile.events.EventLog;
import tech.infernet.mobile.events.StoredEvent;
import tech.infernet.mobile.push.LocalFcmServer.Answer;
import tech.infernet.mobile.store.Database;

/** Push through firebase-admin's own HTTP stack against {@link LocalFcmServer}. */
class PushTest {
  static final String KEY = "K".repeat(43);
  @TempDir Path dir;
  Vertx vertx;
  LocalFcmServer fcm;
  FirebaseApp app;
  Database db;
  PushTokens tokens;
  LiveChannels live = new LiveChannels();
  List<String> alerts = Collections.synchronizedList(new ArrayList<>());
  PushDispatcher dispatcher;
  EventLog log;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    fcm = new LocalFcmServer(vertx, true);
    app = fcm.app("push-test-" + System.nanoTime());
    db = Database.open(dir.resolve("r.db"));
    tokens = PushTokens.open(db, Clock.systemUTC(), 8);
    log = EventLog.open(db, Clock.systemUTC(), Duration.ofDays(1), 4096);
    dispatcher = new PushDispatcher(tokens, new FcmPushSender(app, Duration.ofHours(1)), live,
        new PushDispatcher.Options(Duration.ofMillis(300), 4, Duration.ofMillis(50), Duration.ofSeconds(3)),
        alerts::add);
    log.subscribe(dispatcher::onEvent);
  }

  @AfterEach
  void tearDown() {
    dispatcher.close();
    app.delete();
    fcm.close();
    db.close();
    vertx.close().await();
  }

  static String token(String name) {
    return ("tok-" + name + "-").repeat(4) + "APA91b";
  }

  StoredEvent event(String status) {
    return log.append(KEY, "job-1", status, new byte[] {1, 2, 3}).join();
  }

  static void await(BooleanSupplier cond, String what) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void dataOnlyMessageWithCollapseKeyTtlAndPriorityByState() throws Exception {
    tokens.register(KEY, token("a"), "android").join();
    StoredEvent running = event("running");
    StoredEvent done = event("succeeded");
    await(() -> fcm.accepted.size() == 2, "two pushes");
    assertEquals(List.of(), fcm.violations);
    var first = fcm.accepted.stream().filter(m -> m.getJsonObject("data").getString("status").equals("running"))
        .findFirst().orElseThrow();
    assertEquals(String.valueOf(running.eventId()), first.getJsonObject("data").getString("eventId"));
    assertEquals("normal", first.getJsonObject("android").getString("priority"));
    assertEquals("3600s", first.getJsonObject("android").getString("ttl"));
    var last = fcm.accepted.stream().filter(m -> m.getJsonObject("data").getString("status").equals("succeeded"))
        .findFirst().orElseThrow();
    assertEquals("high", last.getJsonObject("android").getString("priority"));
    assertEquals(String.valueOf(done.eventId()), last.getJsonObject("data").getString("eventId"));
    assertTrue(!last.encode().contains("AQID"), "no envelope bytes go to FCM");
  }

  @Test
  void theSdksDefaultHttp2TransportDeliversTheSameMessagesAndErrors() throws Exception {
    LocalFcmServer h2 = new LocalFcmServer(vertx, true,
        io.vertx.core.net.SelfSignedCertificate.create("fcm.googleapis.com"));
    FirebaseApp h2App = h2.appHttp2("push-test-h2-" + System.nanoTime());
    try {
      FcmPushSender sender = new FcmPushSender(h2App, Duration.ofHours(1));
      String ok = token("h2ok");
      String gone = token("h2gone");
      h2.script(gone, new Answer(404, "UNREGISTERED", null));
      List<PushOutcome> out = sender.sendMessages(List.of(ok, gone), List.of(
          sender.message(ok, new PushMessage("job-1", "running", 7, false)),
          sender.message(gone, new PushMessage("job-1", "running", 7, false)))).get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(PushOutcome.Kind.SENT, out.get(0).kind());
      assertEquals(PushOutcome.Kind.DROP_TOKEN, out.get(1).kind(), out.get(1).toString());
      assertEquals(2, h2.http2Requests.get(), "both requests over HTTP/2");
      assertEquals(List.of(), h2.violations);
    } finally {
      h2App.delete();
      h2.close();
    }
  }

  @Test
  void fcmErrorContract() throws Exception {
    String gone = token("gone");
    String mismatch = token("mismatch");
    String invalid = token("invalid");
    String quota = token("quota");
    String unavailable = token("unavailable");
    String internal = token("internal");
    for (String t : List.of(gone, mismatch, invalid, quota, unavailable, internal)) {
      tokens.register(KEY, t, "android").join();
    }
    fcm.script(gone, new Answer(404, "UNREGISTERED", null));
    fcm.script(mismatch, new Answer(403, "SENDER_ID_MISMATCH", null));
    fcm.script(invalid, new Answer(400, "INVALID_ARGUMENT", null));
    fcm.script(quota, new Answer(429, "QUOTA_EXCEEDED", "1"));
    fcm.script(unavailable, new Answer(503, "UNAVAILABLE", "0"));
    fcm.script(internal, new Answer(500, "INTERNAL", null), new Answer(500, "INTERNAL", null));
    long start = System.nanoTime();
    event("running");
    await(() -> dispatcher.stats().pushed() == 3, "quota, unavailable and internal eventually pushed");
    assertEquals(List.of(), fcm.violations);
    assertEquals(List.of(invalid, internal, quota, unavailable).stream().sorted().toList(),
        tokens.of(KEY).stream().map(PushTokens.Registration::token).sorted().toList(),
        "UNREGISTERED and SENDER_ID_MISMATCH tokens dropped, the others kept");
    assertEquals(1, fcm.hits(invalid), "INVALID_ARGUMENT not retried");
    assertEquals(2, fcm.hits(quota));
    assertTrue(fcm.hits(internal) == 3, "INTERNAL retried by us: " + fcm.hits(internal));
    assertTrue(fcm.hits(unavailable) >= 2, "UNAVAILABLE retried");
    PushDispatcher.Stats s = dispatcher.stats();
    assertEquals(2, s.droppedTokens());
    assertEquals(1, s.invalid());
    // the 429 asked for one second: the retry did not come sooner
    assertTrue(System.nanoTime() - start >= 1_000_000_000L);
    assertEquals(List.of(), alerts);
  }

  @Test
  void thirdPartyAuthErrorAlertsTheOperator() throws Exception {
    String t = token("apns");
    tokens.register(KEY, t, "ios").join();
    // on a 401 the SDK refreshes its credentials and tries again, several times: answer all alike
    Answer[] always = new Answer[20];
    java.util.Arrays.fill(always, new Answer(401, "THIRD_PARTY_AUTH_ERROR", null));
    fcm.script(t, always);
    event("failed");
    await(() -> !alerts.isEmpty(), "an operator alert " + dispatcher.stats() + " hits " + fcm.hits + " violations " + fcm.violations + " accepted " + fcm.accepted);
    assertTrue(fcm.hits(t) > 1 && fcm.hits(t) < 20, "refreshed and retried by the SDK, not by us: " + fcm.hits(t));
    assertEquals(0, dispatcher.stats().retried());
    assertEquals(1, tokens.of(KEY).size(), "the token is not the problem: kept");
  }

  @Test
  void liveChannelThatAcknowledgesGetsNoDuplicatePush() throws Exception {
    tokens.register(KEY, token("live"), "android").join();
    Runnable close = live.open(KEY);
    StoredEvent acked = event("running");
    dispatcher.acknowledged(KEY, acked.eventId());
    StoredEvent missed = event("succeeded");
    await(() -> fcm.accepted.size() == 1, "a push for the unacknowledged event");
    Thread.sleep(400);
    assertEquals(1, fcm.accepted.size());
    assertEquals(String.valueOf(missed.eventId()), fcm.accepted.get(0).getJsonObject("data").getString("eventId"));
    assertEquals(1, dispatcher.stats().suppressed());
    close.run();
    assertTrue(!live.isLive(KEY));
  }

  @Test
  void staleTokensArePruned() throws Exception {
    tokens.register(KEY, token("old"), "android").join();
    Thread.sleep(30);
    tokens.register(KEY, token("new"), "web").join();
    assertEquals(1, tokens.pruneStale(Duration.ofMillis(20)).join());
    assertEquals(List.of(token("new")), tokens.of(KEY).stream().map(PushTokens.Registration::token).toList());
  }
}

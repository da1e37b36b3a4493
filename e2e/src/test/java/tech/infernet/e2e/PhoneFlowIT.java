package tech.infernet.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.mobile.push.LocalFcmServer;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.JobGet;
import tech.infernet.protocol.message.JobResult;
import tech.infernet.protocol.message.JobResultGet;
import tech.infernet.protocol.message.JobStatus;
import tech.infernet.relay.Relay;

/**
 * The phone flow end to end, every part real: a phone (REST, SSE, MQTT only) logs in to a relay,
 * registers an FCM token, links and pairs with an agent over the relay, submits a container job
 * sealed to the agent, watches its events live, is pushed (through firebase-admin, to a local
 * FCM v1 server) for a job it was away for and replays what it missed, and fetches the result.
 * The relay and the agent talk over a real nknd; the agent runs the job in Podman. Afterwards the
 * relay's files and logs are searched for the job's secret text.
 */
@ExtendWith(NknDevnetExtension.class)
class PhoneFlowIT {
  private static final String FCM_TOKEN = "e2e-phone-token-" + "x".repeat(140);
  private static final List<String> RELAY_LOG = java.util.Collections.synchronizedList(new ArrayList<>());
  private static final Handler CAPTURE = new Handler() {
    @Override
    public void publish(LogRecord r) {
      String name = r.getLoggerName() == null ? "" : r.getLoggerName();
      if (name.startsWith("tech.infernet.relay") || name.startsWith("tech.infernet.mobile")) {
        RELAY_LOG.add(r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @TempDir static Path dir;
  static Stack stack;
  static LocalFcmServer fcm;
  static Relay relay;

  @BeforeAll
  static void start(NknDevnet devnet) throws Exception {
    Logger.getLogger("").addHandler(CAPTURE);
    stack = new Stack(devnet, dir);
    fcm = stack.fcm;
    relay = stack.relay;
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    Logger.getLogger("").removeHandler(CAPTURE);
  }

  @Test
  @Timeout(300)
  void aPhoneRunsAJobThroughTheRelayIsPushedWhenAwayAndTheRelayNeverHoldsThePayloadInClear() throws Exception {
    Stack.PairedPhone paired = stack.pairedPhone();
    Phone phone = paired.phone();
    byte[] agentKey = paired.agentKey();
    String agentPath = paired.agentPath();
    assertEquals(200, phone.send("PUT", "/v1/push-tokens/" + FCM_TOKEN, "{\"platform\":\"android\"}").statusCode());
    JsonObject listed = new JsonObject(phone.send("GET", "/v1/agents", null).body()).getJsonArray("agents").getJsonObject(0);
    assertEquals(tech.infernet.mobile.auth.KeyIds.of(agentKey), listed.getString("agentKeyId"));
    assertTrue(listed.getBoolean("online"), "the agent answered through the relay: " + listed);

    // Job 1, watched live over SSE (acknowledged) and MQTT (QoS 1): no push for it.
    BlockingQueue<JsonObject> mqtt = new LinkedBlockingQueue<>();
    MqttClient mqttClient = mqtt(phone, mqtt);
    String secret1 = "e2e-secret-" + UUID.randomUUID();
    List<JsonObject> live;
    String jobId1;
    try (Phone.SseStream sse = phone.sse("/v1/events", null)) {
      jobId1 = paired.submit("echo " + secret1);
      live = untilTerminal(sse.events(), jobId1, phone, true);
    }
    List<JobEvent> opened = openAll(phone, agentKey, live);
    assertGapFree(opened);
    assertEquals("succeeded", live.get(live.size() - 1).getString("status"));
    assertTrue(opened.stream().anyMatch(e -> e.kind().equals("log") && e.data().toString().contains(secret1)),
        "the phone reads the job's output: " + opened);
    JsonObject lastOverMqtt = null;
    long mqttEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (lastOverMqtt == null || !"succeeded".equals(lastOverMqtt.getString("status"))) {
      JsonObject m = mqtt.poll(Math.max(1, mqttEnd - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertNotNull(m, "the terminal event arrives over MQTT too");
      if (m.getString("jobId").equals(jobId1)) {
        lastOverMqtt = m;
      }
    }
    mqttClient.disconnect();
    mqttClient.close();

    // Job 2 while the phone is away (no live channel): pushed for each status change.
    String secret2 = "e2e-secret-" + UUID.randomUUID();
    String jobId2 = paired.submit("echo " + secret2 + "; printf 'answer:" + secret2 + "' > /work/result");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (pushes(jobId2).stream().noneMatch(p -> p.getString("status").equals("succeeded"))) {
      assertTrue(System.nanoTime() < end, "pushed for job 2: " + fcm.accepted);
      Thread.sleep(200);
    }
    List<String> pushed = pushes(jobId2).stream().map(p -> p.getString("status")).toList();
    assertEquals(pushed.stream().distinct().toList(), pushed, "one push per status change: " + pushed);
    assertTrue(pushed.containsAll(List.of("queued", "running", "succeeded")), pushed.toString());
    for (JsonObject m : fcm.accepted) {
      assertFalse(m.encode().contains(secret2), "no job content to Google");
    }
    Thread.sleep(11_000); // past the relay's ack window: a live, acknowledging phone gets no push
    assertEquals(List.of(), pushes(jobId1), "job 1 was followed live and acknowledged");

    // Back: replay what was missed, from the last event seen.
    String since = Long.toString(live.get(live.size() - 1).getLong("eventId"));
    List<JsonObject> missed;
    try (Phone.SseStream sse = phone.sse("/v1/events", since)) {
      missed = untilTerminal(sse.events(), jobId2, phone, false);
    }
    assertGapFree(openAll(phone, agentKey, missed));

    // The job's state and its result, fetched from the agent through the relay.
    JobStatus result = assertInstanceOf(JobStatus.class,
        phone.request(agentPath + "/requests", agentKey, new JobGet("get-2", jobId2)));
    assertEquals("succeeded", result.job().state());
    assertEquals(0, result.job().exitCode());
    JobResult output = assertInstanceOf(JobResult.class,
        phone.request(agentPath + "/requests", agentKey, new JobResultGet("result-2", jobId2)));
    assertEquals("answer:" + secret2, new String(output.content(), java.nio.charset.StandardCharsets.UTF_8),
        "the job's result, sealed by the agent to the phone, opened by the phone");
    JsonObject summary = new JsonObject(phone.send("GET", "/v1/jobs/" + jobId2, null).body());
    assertEquals("succeeded", summary.getString("status"));

    System.out.printf("phone flow: job 1 %d events live (SSE), last over MQTT %s; job 2 pushed %s, %d events replayed;"
        + " %d FCM messages in all%n", live.size(), lastOverMqtt.getString("status"), pushed, missed.size(), fcm.accepted.size());
    assertEquals(List.of(), fcm.violations, "every FCM request as FCM v1 wants it");

    // Blind carrier: nothing the relay stored or logged holds either job's content in clear.
    relay.api().maintain().join();
    try (Stream<Path> files = Files.walk(dir.resolve("relay"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse(bytes.contains(secret1) || bytes.contains(secret2), f + " holds a payload in clear");
      }
    }
    synchronized (RELAY_LOG) {
      assertFalse(RELAY_LOG.isEmpty(), "the relay's log was captured");
      assertFalse(RELAY_LOG.stream().anyMatch(l -> l.contains(secret1) || l.contains(secret2)), "relay log");
    }
  }

  /** Events of jobId from the stream until its terminal one (acknowledging each when asked). */
  static List<JsonObject> untilTerminal(BlockingQueue<JsonObject> events, String jobId, Phone phone, boolean ack)
      throws Exception {
    List<JsonObject> out = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      JsonObject e = events.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertNotNull(e, "events of " + jobId + " so far: " + out);
      if (ack) {
        phone.send("POST", "/v1/acks", new JsonObject().put("eventId", e.getLong("eventId")).encode());
      }
      if (!e.getString("jobId").equals(jobId)) {
        continue;
      }
      out.add(e);
      if (List.of("succeeded", "failed", "cancelled", "timed_out", "rejected").contains(e.getString("status"))) {
        return out;
      }
    }
  }

  static List<JobEvent> openAll(Phone phone, byte[] agentKey, List<JsonObject> events) throws Exception {
    List<JobEvent> out = new ArrayList<>();
    for (JsonObject e : events) {
      out.add(assertInstanceOf(JobEvent.class, phone.open(e.getString("envelope"), agentKey)));
    }
    return out;
  }

  static void assertGapFree(List<JobEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).seq(), "per-job sequence with no gap or duplicate: " + events);
    }
  }

  private static List<JsonObject> pushes(String jobId) {
    List<JsonObject> out = new ArrayList<>();
    synchronized (fcm.accepted) {
      for (JsonObject m : fcm.accepted) {
        JsonObject data = m.getJsonObject("data");
        if (data != null && jobId.equals(data.getString("jobId"))) {
          out.add(data);
        }
      }
    }
    return out;
  }

  private static MqttClient mqtt(Phone phone, BlockingQueue<JsonObject> into) throws Exception {
    MqttClient c = new MqttClient("tcp://127.0.0.1:" + relay.mqttPort(), "phone-" + phone.keyId.substring(0, 8),
        new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(phone.keyId);
    o.setPassword(phone.accessToken.toCharArray());
    o.setCleanSession(false);
    c.connect(o);
    c.subscribe("u/" + phone.keyId + "/jobs/#", 1,
        (topic, msg) -> into.add(new JsonObject(new String(msg.getPayload(), StandardCharsets.UTF_8))));
    return c;
  }
}

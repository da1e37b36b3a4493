package tech.infernet.mobile.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.mobile.TestRelay;
import tech.infernet.mobile.push.PushMessage;
import tech.infernet.mobile.push.PushOutcome;
import tech.infernet.mobile.push.PushSender;

/** The MQTT endpoint with real clients: Eclipse Paho (MQTT 3.1.1) and HiveMQ's client (MQTT 5). */
class MqttEndpointTest {
  @TempDir static Path dir;
  static TestRelay relay;
  static TestRelay.Phone alice;
  static TestRelay.Phone bob;
  static final List<PushMessage> pushed = Collections.synchronizedList(new ArrayList<>());

  /** TEST DOUBLE of the FCM sender (FCM itself is covered by PushTest): records what would be pushed. */
  static final class RecordingPushSender implements PushSender {
    @Override
    public CompletableFuture<List<PushOutcome>> send(List<String> tokens, PushMessage m) {
      pushed.add(m);
      return CompletableFuture.completedFuture(tokens.stream()
          .map(t -> new PushOutcome(t, PushOutcome.Kind.SENT, -1, "")).toList());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    relay = new TestRelay(dir, new RecordingPushSender(), TestRelay.generous(),
        MqttOptions.defaults().withPorts("127.0.0.1", 0, 0).withLimits(java.time.Duration.ofHours(1), 5, 64));
    alice = relay.phone();
    bob = relay.phone();
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  String tcp() {
    return "tcp://127.0.0.1:" + relay.api.mqttPort();
  }

  static final class Inbox implements MqttCallback {
    final BlockingQueue<MqttMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<String> topics = new LinkedBlockingQueue<>();
    final CountDownLatch lost = new CountDownLatch(1);

    @Override
    public void connectionLost(Throwable cause) {
      lost.countDown();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      topics.add(topic);
      messages.add(message);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}

    JsonObject next() throws InterruptedException {
      MqttMessage m = messages.poll(10, TimeUnit.SECONDS);
      return m == null ? null : new JsonObject(new String(m.getPayload(), StandardCharsets.UTF_8));
    }
  }

  MqttClient paho(String uri, TestRelay.Phone p, String clientId, boolean clean, Inbox inbox) throws MqttException {
    MqttClient c = new MqttClient(uri, clientId, new MemoryPersistence());
    c.setCallback(inbox);
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(p.keyId);
    o.setPassword(p.accessToken.toCharArray());
    o.setCleanSession(clean);
    o.setKeepAliveInterval(60);
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(10);
    c.connect(o);
    return c;
  }

  long ingest(TestRelay.Phone p, String job, String status) {
    return relay.api.ingest(p.keyId, job, status, new byte[] {9, 9, 9}).join().eventId();
  }

  @Test
  void pahoSubscribesToItsOwnTopicsOnlyAndCannotPublish() throws Exception {
    Inbox in = new Inbox();
    MqttClient c = paho(tcp(), alice, "alice-acl", true, in);
    int[] granted = c.subscribeWithResponse(new String[] {"u/" + alice.keyId + "/jobs/#", "u/" + bob.keyId + "/jobs/#",
        "u/+/jobs/#", "#", "$SYS/#"}, new int[] {1, 1, 1, 1, 1}).getGrantedQos();
    assertEquals(1, granted[0]);
    for (int i = 1; i < granted.length; i++) {
      assertEquals(0x80, granted[i], "subscription " + i + " refused");
    }
    ingest(bob, "job-b", "running");
    long id = ingest(alice, "job-a", "running");
    JsonObject m = in.next();
    assertEquals(id, m.getLong("eventId"), "only alice's event arrives");
    assertEquals("u/" + alice.keyId + "/jobs/job-a", in.topics.poll());
    assertEquals("running", m.getString("status"));
    assertEquals("CQkJ", m.getString("envelope"), "the sealed bytes, base64url");
    // Publishing is refused: acknowledged (MQTT 3.1.1 has no negative PUBACK) but never delivered.
    c.publish("u/" + alice.keyId + "/jobs/job-a", "{\"forged\":true}".getBytes(StandardCharsets.UTF_8), 1, false);
    assertNull(in.messages.poll(300, TimeUnit.MILLISECONDS));
    assertTrue(c.isConnected());
    c.disconnect();
    c.close();
  }

  @Test
  void badCredentialsAreRefused() throws Exception {
    MqttSecurityException wrongPassword = assertThrows(MqttSecurityException.class, () -> {
      MqttClient c = new MqttClient(tcp(), "x1", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setUserName(alice.keyId);
      o.setPassword("ie1.forged.token".toCharArray());
      c.connect(o);
    });
    assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, wrongPassword.getReasonCode());
    MqttSecurityException otherKey = assertThrows(MqttSecurityException.class, () -> {
      MqttClient c = new MqttClient(tcp(), "x2", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setUserName(bob.keyId);
      o.setPassword(alice.accessToken.toCharArray());
      c.connect(o);
    });
    assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, otherKey.getReasonCode());
    MqttSecurityException none = assertThrows(MqttSecurityException.class, () ->
        new MqttClient(tcp(), "x3", new MemoryPersistence()).connect(new MqttConnectOptions()));
    assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, none.getReasonCode());
  }

  @Test
  void offlineQos1QueueIsDeliveredAfterReconnectAndBounded() throws Exception {
    TestRelay.Phone p = relay.phone();
    Inbox in1 = new Inbox();
    MqttClient c = paho(tcp(), p, "phone-offline", false, in1);
    c.subscribe("u/" + p.keyId + "/jobs/#", 1);
    c.disconnect();
    c.close();
    // Let the relay see the DISCONNECT: events sent before it would be in flight (and resent), not queued.
    Thread.sleep(300);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(ingest(p, "job-" + i, "running"));
    }
    Inbox in2 = new Inbox();
    MqttClient again = paho(tcp(), p, "phone-offline", false, in2);
    List<Long> got = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      got.add(in2.next().getLong("eventId"));
    }
    assertEquals(ids.subList(2, 7), got, "the queue keeps the newest 5 (the bound), in order");
    assertNull(in2.messages.poll(300, TimeUnit.MILLISECONDS));
    again.disconnect();
    again.close();
  }

  @Test
  void sessionTakeoverOnReconnect() throws Exception {
    TestRelay.Phone p = relay.phone();
    Inbox first = new Inbox();
    MqttClient a = paho(tcp(), p, "same-id", false, first);
    a.subscribe("u/" + p.keyId + "/jobs/+", 1);
    Inbox second = new Inbox();
    MqttClient b = paho(tcp(), p, "same-id", false, second);
    assertTrue(first.lost.await(5, TimeUnit.SECONDS), "the old connection is closed");
    long id = ingest(p, "job-t", "running");
    assertEquals(id, second.next().getLong("eventId"), "the new connection has the session's subscription");
    b.disconnect();
    b.close();
    a.close();
  }

  @Test
  void retainedLatestStatusPerJobOnSubscribe() throws Exception {
    TestRelay.Phone p = relay.phone();
    ingest(p, "job-r1", "queued");
    long last1 = ingest(p, "job-r1", "succeeded");
    long last2 = ingest(p, "job-r2", "running");
    Inbox in = new Inbox();
    MqttClient c = paho(tcp(), p, "retained", true, in);
    c.subscribe("u/" + p.keyId + "/jobs/#", 1);
    List<Long> got = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      MqttMessage m = in.messages.poll(10, TimeUnit.SECONDS);
      assertNotNull(m);
      assertTrue(m.isRetained());
      got.add(new JsonObject(new String(m.getPayload(), StandardCharsets.UTF_8)).getLong("eventId"));
    }
    Collections.sort(got);
    assertEquals(List.of(last1, last2), got);
    c.disconnect();
    c.close();
  }

  @Test
  void webSocketTransport() throws Exception {
    TestRelay.Phone p = relay.phone();
    Inbox in = new Inbox();
    MqttClient c = paho("ws://127.0.0.1:" + relay.api.mqttWebSocketPort() + "/mqtt", p, "ws-phone", true, in);
    c.subscribe("u/" + p.keyId + "/jobs/#", 1);
    long id = ingest(p, "job-ws", "running");
    assertEquals(id, in.next().getLong("eventId"));
    c.disconnect();
    c.close();
  }

  @Test
  void hivemqMqtt5RefusalsAndPersistentSession() throws Exception {
    TestRelay.Phone p = relay.phone();
    Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("hive-phone").serverHost("127.0.0.1")
        .serverPort(relay.api.mqttPort()).buildBlocking();
    c.connectWith().cleanStart(true).sessionExpiryInterval(600).keepAlive(0)
        .simpleAuth().username(p.keyId).password(p.accessToken.getBytes(StandardCharsets.US_ASCII)).applySimpleAuth()
        .send();
    Mqtt5SubAckException denied = assertThrows(Mqtt5SubAckException.class, () ->
        c.subscribeWith().topicFilter("u/" + alice.keyId + "/jobs/#").qos(MqttQos.AT_LEAST_ONCE).send());
    assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED), denied.getMqttMessage().getReasonCodes());
    c.subscribeWith().topicFilter("u/" + p.keyId + "/jobs/#").qos(MqttQos.EXACTLY_ONCE).send();
    Mqtt5PubAckException refused = assertThrows(Mqtt5PubAckException.class, () -> c.publishWith()
        .topic("u/" + p.keyId + "/jobs/x").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send());
    assertEquals("NOT_AUTHORIZED", refused.getMqttMessage().getReasonCode().name());
    c.disconnect();

    long id = ingest(p, "job-h", "running");
    Mqtt5BlockingClient again = Mqtt5Client.builder().identifier("hive-phone").serverHost("127.0.0.1")
        .serverPort(relay.api.mqttPort()).buildBlocking();
    try (Mqtt5BlockingClient.Mqtt5Publishes pubs = again.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      var ack = again.connectWith().cleanStart(false).sessionExpiryInterval(600)
          .simpleAuth().username(p.keyId).password(p.accessToken.getBytes(StandardCharsets.US_ASCII)).applySimpleAuth()
          .send();
      assertTrue(ack.isSessionPresent());
      Mqtt5Publish m = pubs.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertEquals(MqttQos.AT_LEAST_ONCE, m.getQos(), "granted QoS 1 for a QoS 2 request");
      assertEquals(id, new JsonObject(new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8)).getLong("eventId"));
    }
    again.disconnect();
  }

  @Test
  void malformedPacketsCloseOnlyThatConnection() throws Exception {
    TestRelay.Phone p = relay.phone();
    Inbox in = new Inbox();
    MqttClient good = paho(tcp(), p, "bystander", true, in);
    good.subscribe("u/" + p.keyId + "/jobs/#", 1);
    Random rnd = new Random(7);
    byte[][] attacks = {
        "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}, // remaining length over 4 bytes
        {0x30, 0x02, 0x00, 0x05}, // PUBLISH before CONNECT
        {0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x09, 0x02, 0x00, 0x3C, 0x00, 0x00}, // protocol level 9
        randomBytes(rnd, 300),
        randomBytes(rnd, 5000),
    };
    for (byte[] a : attacks) {
      try (Socket s = new Socket("127.0.0.1", relay.api.mqttPort())) {
        s.setSoTimeout(15_000);
        OutputStream out = s.getOutputStream();
        try {
          out.write(a);
          out.flush();
        } catch (java.io.IOException closedEarly) {
          continue;
        }
        InputStream is = s.getInputStream();
        int read;
        try {
          while ((read = is.read()) >= 0) {
            assertTrue(read >= 0);
          }
        } catch (java.net.SocketException reset) {
          // closed by reset: fine
        }
      }
    }
    assertTrue(good.isConnected(), "the well-behaved client is unaffected");
    long id = ingest(p, "job-g", "running");
    assertEquals(id, in.next().getLong("eventId"));
    good.disconnect();
    good.close();
  }

  static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  @Test
  void liveQos1AcknowledgementSuppressesThePush() throws Exception {
    TestRelay.Phone p = relay.phone();
    relay.api.pushTokens().register(p.keyId, "push-token-for-live-test-0123456789", "android").join();
    Inbox in = new Inbox();
    MqttClient c = paho(tcp(), p, "live-phone", true, in);
    c.subscribe("u/" + p.keyId + "/jobs/#", 1);
    long acked = ingest(p, "job-l", "running");
    assertEquals(acked, in.next().getLong("eventId"));
    Thread.sleep(800);
    assertFalse(pushed.stream().anyMatch(m -> m.eventId() == acked), "Paho acknowledged: no push");
    c.disconnect();
    c.close();
    long offline = ingest(p, "job-l", "succeeded");
    long end = System.nanoTime() + 10_000_000_000L;
    while (pushed.stream().noneMatch(m -> m.eventId() == offline) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    PushMessage m = pushed.stream().filter(x -> x.eventId() == offline).findFirst().orElseThrow();
    assertTrue(m.terminal());
  }
}

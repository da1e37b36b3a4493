package tech.infernet.mobile.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client's MQTT session (key id + client id): subscriptions, QoS 1 messages in flight and
 * queued. Touched only on the broker's context, so it needs no locks.
 */
final class Session {
  /** A QoS 1 message for this session, with the event id it carries (for the push dispatcher). */
  record Pending(String topic, Buffer payload, long eventId) {}

  final String keyId;
  final String clientId;
  final Map<String, MqttQoS> subscriptions = new LinkedHashMap<>();
  final Map<Integer, Pending> inflight = new LinkedHashMap<>();
  final ArrayDeque<Pending> queue = new ArrayDeque<>();
  MqttEndpoint endpoint;
  boolean persistent;
  long expiryMs;
  long offlineSinceMs;
  long dropped;
  Runnable liveClose = () -> { };
  private int nextId = 1;

  Session(String keyId, String clientId) {
    this.keyId = keyId;
    this.clientId = clientId;
  }

  String id() {
    return keyId + "/" + clientId;
  }

  boolean connected() {
    return endpoint != null;
  }

  /** The highest QoS granted by a subscription matching {@code jobId}, or null when none does. */
  MqttQoS qosFor(String jobId) {
    MqttQoS best = null;
    for (Map.Entry<String, MqttQoS> s : subscriptions.entrySet()) {
      if (Topics.matches(s.getKey(), keyId, jobId) && (best == null || s.getValue().value() > best.value())) {
        best = s.getValue();
      }
    }
    return best;
  }

  boolean hasQos1() {
    return subscriptions.values().stream().anyMatch(q -> q == MqttQoS.AT_LEAST_ONCE);
  }

  /** A message id not in flight (1..65535). */
  int nextMessageId() {
    for (int i = 0; i < 65535; i++) {
      int id = nextId;
      nextId = nextId == 65535 ? 1 : nextId + 1;
      if (!inflight.containsKey(id)) {
        return id;
      }
    }
    throw new IllegalStateException("65535 messages in flight");
  }

  /** Queues {@code p}, dropping the oldest beyond {@code max}; returns how many were dropped. */
  int enqueue(Pending p, int max) {
    queue.addLast(p);
    int n = 0;
    while (queue.size() > max) {
      queue.removeFirst();
      n++;
    }
    dropped += n;
    return n;
  }
}

package tech.infernet.mobile.mqtt;

import java.time.Duration;

/**
 * The MQTT endpoint's settings.
 *
 * @param webSocketPort -1 for no WebSocket listener (path {@code /mqtt})
 * @param maxKeepAlive the longest keepalive granted; a client asking for none or more gets this
 *     (MQTT 5: in CONNACK's Server Keep Alive). Mobile radios favour long ones: the default is
 *     300 s, the longest mobile NATs reliably keep an idle TCP mapping
 * @param sessionExpiry how long a persistent session outlives its connection (the most an MQTT 5 client may ask)
 * @param maxQueued QoS 1 messages kept per offline session; the oldest go first
 * @param maxInflight unacknowledged QoS 1 messages per connection; the rest wait in the queue
 * @param maxRetainedOnSubscribe retained (latest per job) messages sent after a SUBSCRIBE
 */
public record MqttOptions(String host, int tcpPort, int webSocketPort, Duration maxKeepAlive,
    Duration sessionExpiry, int maxQueued, int maxInflight, int maxRetainedOnSubscribe, int maxSessions,
    int maxMessageSize) {
  public static MqttOptions defaults() {
    return new MqttOptions("127.0.0.1", 0, 0, Duration.ofSeconds(300), Duration.ofDays(1), 1000, 64, 100,
        100_000, 64 * 1024);
  }

  public MqttOptions withPorts(String host, int tcpPort, int webSocketPort) {
    return new MqttOptions(host, tcpPort, webSocketPort, maxKeepAlive, sessionExpiry, maxQueued, maxInflight,
        maxRetainedOnSubscribe, maxSessions, maxMessageSize);
  }

  public MqttOptions withLimits(Duration sessionExpiry, int maxQueued, int maxInflight) {
    return new MqttOptions(host, tcpPort, webSocketPort, maxKeepAlive, sessionExpiry, maxQueued, maxInflight,
        maxRetainedOnSubscribe, maxSessions, maxMessageSize);
  }
}

package tech.infernet.nkn;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable settings of an {@link NknClient}, validated when built. Encryption of messages
 * and sessions is always on (nkn-sdk-go encrypts end to end and refuses unencrypted
 * messages); there is no option to turn it off.
 *
 * @param seedRpcAddresses     JSON-RPC addresses of NKN nodes used to find this client's node
 * @param identifier           the identifier part of the address ("" for none)
 * @param subClients           parallel connections (NKN "multiclient"); more paths, more resilience
 * @param connectTimeout       how long {@link NknClient#connect} waits for the first node connection
 * @param rpcTimeout           timeout of each RPC call to a node
 * @param replyTimeout         how long {@link NknClient#request} waits for a reply
 * @param messageHoldingSeconds how long nodes hold a message for an offline recipient
 * @param replyWindow          how long a received message can still be answered
 * @param maxReconnectInterval longest back-off between reconnection attempts after an outage
 * @param eventQueueLength     received messages and outcomes buffered for the Java side
 * @param maxConcurrentSends   messages in flight inside the binding before send blocks
 * @param sessionMtu           largest session packet in bytes
 * @param sessionWindowBytes   session receive window in bytes
 * @param sessionIoTimeout     default read and write timeout of sessions (zero: none)
 */
public record NknClientOptions(
    List<String> seedRpcAddresses,
    String identifier,
    int subClients,
    Duration connectTimeout,
    Duration rpcTimeout,
    Duration replyTimeout,
    int messageHoldingSeconds,
    Duration replyWindow,
    Duration maxReconnectInterval,
    int eventQueueLength,
    int maxConcurrentSends,
    int sessionMtu,
    int sessionWindowBytes,
    Duration sessionIoTimeout) {

  public NknClientOptions {
    seedRpcAddresses = List.copyOf(Objects.requireNonNull(seedRpcAddresses, "seedRpcAddresses"));
    identifier = identifier == null ? "" : identifier;
    if (seedRpcAddresses.isEmpty()) {
      throw invalid("seedRpcAddresses", "name at least one node's JSON-RPC address, e.g. http://127.0.0.1:30003");
    }
    for (String address : seedRpcAddresses) {
      checkRpcAddress(address);
    }
    if (!identifier.matches("[A-Za-z0-9_\\-]{0,64}")) {
      throw invalid("identifier", "use up to 64 letters, digits, '_' or '-', got '" + identifier + "'");
    }
    checkRange("subClients", subClients, 1, 16);
    checkPositive("connectTimeout", connectTimeout);
    checkPositive("rpcTimeout", rpcTimeout);
    checkPositive("replyTimeout", replyTimeout);
    checkRange("messageHoldingSeconds", messageHoldingSeconds, 0, 86_400);
    checkPositive("replyWindow", replyWindow);
    checkPositive("maxReconnectInterval", maxReconnectInterval);
    checkRange("eventQueueLength", eventQueueLength, 16, 1 << 20);
    checkRange("maxConcurrentSends", maxConcurrentSends, 1, 1 << 16);
    checkRange("sessionMtu", sessionMtu, 512, 1 << 20);
    checkRange("sessionWindowBytes", sessionWindowBytes, 64 << 10, 256 << 20);
    Objects.requireNonNull(sessionIoTimeout, "sessionIoTimeout");
    if (sessionIoTimeout.isNegative()) {
      throw invalid("sessionIoTimeout", "must be zero (none) or positive");
    }
  }

  /** Defaults for a client of the node(s) at these JSON-RPC addresses. */
  public static Builder builder(List<String> seedRpcAddresses) {
    return new Builder(seedRpcAddresses);
  }

  public static Builder builder(String seedRpcAddress) {
    return new Builder(List.of(seedRpcAddress));
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void checkRpcAddress(String address) {
    URI uri;
    try {
      uri = URI.create(address);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw invalid("seedRpcAddresses", "'" + address + "' is not a URL");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw invalid("seedRpcAddresses", "'" + address + "' must be an http(s) URL with a host, e.g. http://127.0.0.1:30003");
    }
  }

  private static void checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw invalid(name, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  private static void checkPositive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw invalid(name, "must be a positive duration, got " + value);
    }
  }

  private static NknException invalid(String name, String problem) {
    return new NknException(NknException.Code.INVALID_ARGUMENT, "option " + name + ": " + problem);
  }

  String toJson() {
    StringBuilder json = new StringBuilder(256).append("{\"seedRpc\":[");
    for (int i = 0; i < seedRpcAddresses.size(); i++) {
      json.append(i == 0 ? "" : ",").append(Json.quote(seedRpcAddresses.get(i)));
    }
    return json.append("],\"identifier\":").append(Json.quote(identifier))
        .append(",\"subClients\":").append(subClients)
        .append(",\"connectTimeoutMs\":").append(connectTimeout.toMillis())
        .append(",\"rpcTimeoutMs\":").append(rpcTimeout.toMillis())
        .append(",\"messageHoldingSeconds\":").append(messageHoldingSeconds)
        .append(",\"replyWindowMs\":").append(replyWindow.toMillis())
        .append(",\"maxReconnectIntervalMs\":").append(maxReconnectInterval.toMillis())
        .append(",\"eventQueueLength\":").append(eventQueueLength)
        .append(",\"maxConcurrentSends\":").append(maxConcurrentSends)
        .append(",\"sessionMtu\":").append(sessionMtu)
        .append(",\"sessionWindowBytes\":").append(sessionWindowBytes)
        .append('}').toString();
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private List<String> seedRpcAddresses;
    private String identifier = "";
    private int subClients = 4;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration rpcTimeout = Duration.ofSeconds(10);
    private Duration replyTimeout = Duration.ofSeconds(10);
    private int messageHoldingSeconds = 0;
    private Duration replyWindow = Duration.ofSeconds(60);
    private Duration maxReconnectInterval = Duration.ofSeconds(5);
    private int eventQueueLength = 4096;
    private int maxConcurrentSends = 1024;
    private int sessionMtu = 1024;
    private int sessionWindowBytes = 4 << 20;
    private Duration sessionIoTimeout = Duration.ZERO;

    private Builder(List<String> seedRpcAddresses) {
      this.seedRpcAddresses = new ArrayList<>(seedRpcAddresses);
    }

    private Builder(NknClientOptions o) {
      this(o.seedRpcAddresses);
      identifier = o.identifier;
      subClients = o.subClients;
      connectTimeout = o.connectTimeout;
      rpcTimeout = o.rpcTimeout;
      replyTimeout = o.replyTimeout;
      messageHoldingSeconds = o.messageHoldingSeconds;
      replyWindow = o.replyWindow;
      maxReconnectInterval = o.maxReconnectInterval;
      eventQueueLength = o.eventQueueLength;
      maxConcurrentSends = o.maxConcurrentSends;
      sessionMtu = o.sessionMtu;
      sessionWindowBytes = o.sessionWindowBytes;
      sessionIoTimeout = o.sessionIoTimeout;
    }

    public Builder identifier(String value) { identifier = value; return this; }
    public Builder subClients(int value) { subClients = value; return this; }
    public Builder connectTimeout(Duration value) { connectTimeout = value; return this; }
    public Builder rpcTimeout(Duration value) { rpcTimeout = value; return this; }
    public Builder replyTimeout(Duration value) { replyTimeout = value; return this; }
    public Builder messageHoldingSeconds(int value) { messageHoldingSeconds = value; return this; }
    public Builder replyWindow(Duration value) { replyWindow = value; return this; }
    public Builder maxReconnectInterval(Duration value) { maxReconnectInterval = value; return this; }
    public Builder eventQueueLength(int value) { eventQueueLength = value; return this; }
    public Builder maxConcurrentSends(int value) { maxConcurrentSends = value; return this; }
    public Builder sessionMtu(int value) { sessionMtu = value; return this; }
    public Builder sessionWindowBytes(int value) { sessionWindowBytes = value; return this; }
    public Builder sessionIoTimeout(Duration value) { sessionIoTimeout = value; return this; }

    public NknClientOptions build() {
      return new NknClientOptions(seedRpcAddresses, identifier, subClients, connectTimeout,
          rpcTimeout, replyTimeout, messageHoldingSeconds, replyWindow, maxReconnectInterval,
          eventQueueLength, maxConcurrentSends, sessionMtu, sessionWindowBytes, sessionIoTimeout);
    }
  }
}

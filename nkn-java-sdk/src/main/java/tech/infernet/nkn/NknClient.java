package tech.infernet.nkn;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A client of the NKN network (an nkn-sdk-go MultiClient: several sub-clients connected to
 * nodes in parallel), with end-to-end encrypted messages, replies, sessions and pub/sub.
 *
 * <p>Thread-safe. One thread per client ("nkn-poll-...") pulls incoming messages, replies and
 * connection changes from the native side and runs the handlers and completes the futures:
 * handlers and future callbacks must not block it (hand work to your own executor, e.g. a
 * Vert.x context). Methods that block say so; call them off event loops.
 */
public final class NknClient implements AutoCloseable {
  /** NKN's limit on one message's payload, checked before anything is sent. */
  public static final int MAX_MESSAGE_BYTES = 4_000_000;

  private static final System.Logger LOG = System.getLogger(NknClient.class.getName());
  private static final int POLL_TIMEOUT_MS = 250;
  private static final int POLL_MAX_BYTES = 1 << 20;
  private static final int EARLY_MESSAGES_KEPT = 1024;

  private final long handle;
  private final NknClientOptions options;
  private final String address;
  private final Map<Long, CompletableFuture<?>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextRequest = new AtomicLong();
  private final Set<NknSession> sessions = ConcurrentHashMap.newKeySet();
  private final List<Consumer<NknConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
  private final ArrayDeque<NknMessage> earlyMessages = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread poller;
  private volatile Consumer<NknMessage> messageHandler;
  private volatile NknConnectionState state;

  private NknClient(long handle, NknClientOptions options) {
    this.handle = handle;
    this.options = options;
    this.address = new String(NativeNkn.clientAddress(handle), StandardCharsets.UTF_8);
    this.state = new NknConnectionState(1, options.subClients());
    this.poller = new Thread(this::pollLoop, "nkn-poll-" + address.substring(0, Math.min(address.length(), 16)));
    this.poller.setDaemon(true);
  }

  /**
   * Connects to NKN through the configured seed nodes; blocks until a node accepts the client
   * or {@link NknClientOptions#connectTimeout()} passes.
   *
   * @throws NknException {@code CONNECT_FAILED} when no node accepted the client in time
   */
  public static NknClient connect(NknAccount account, NknClientOptions options) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(options, "options");
    long handle = NativeNkn.clientOpen(account.seed(), options.toJson().getBytes(StandardCharsets.UTF_8));
    NknClient client = new NknClient(handle, options);
    client.poller.start();
    return client;
  }

  /** The version of nkn-sdk-go and Go inside the native library. */
  public static String nativeVersion() {
    return new String(NativeNkn.version(), StandardCharsets.UTF_8);
  }

  /** This client's NKN address, {@code identifier.publicKeyHex}. */
  public String address() {
    return address;
  }

  public NknClientOptions options() {
    return options;
  }

  /** The latest known connection state; see {@link #onConnectionChange}. */
  public NknConnectionState connectionState() {
    return state;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Sets the handler of incoming messages. Messages that arrived before a handler was set
   * (up to 1,024) are handed to it first.
   */
  public void onMessage(Consumer<NknMessage> handler) {
    Objects.requireNonNull(handler, "handler");
    synchronized (earlyMessages) {
      messageHandler = handler;
      NknMessage early;
      while ((early = earlyMessages.poll()) != null) {
        deliver(handler, early);
      }
    }
  }

  /** Called with the new state whenever the number of connected sub-clients changes. */
  public void onConnectionChange(Consumer<NknConnectionState> listener) {
    stateListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Sends data to one or more addresses and waits for the first reply, up to
   * {@link NknClientOptions#replyTimeout()}. Arguments are checked before anything is sent.
   *
   * @return completes with the reply, or with an {@link NknException} ({@code TIMEOUT},
   *     {@code SEND_FAILED} during an outage, {@code INVALID_ADDRESS}, {@code CLOSED})
   * @throws NknException {@code MESSAGE_TOO_LARGE}, {@code INVALID_ARGUMENT} or {@code CLOSED}
   */
  public CompletableFuture<NknReply> send(List<String> destinations, byte[] data) {
    CompletableFuture<NknReply> reply = new CompletableFuture<>();
    submit(destinations, data, true, reply);
    return reply;
  }

  public CompletableFuture<NknReply> send(String destination, byte[] data) {
    return send(List.of(destination), data);
  }

  /**
   * Like {@link #send(List, byte[])}, but blocks the calling thread until the reply arrives;
   * it saves a thread hand-off per request, for worker threads that would wait anyway.
   *
   * @throws NknException {@code TIMEOUT}, {@code SEND_FAILED}, {@code INVALID_ADDRESS},
   *     {@code MESSAGE_TOO_LARGE}, {@code INVALID_ARGUMENT} or {@code CLOSED}
   */
  public NknReply sendAndWait(List<String> destinations, byte[] data) {
    checkOpen();
    byte[] joined = joinLines("destinations", destinations);
    checkMessageSize(data, "message");
    return NativeEvents.reply(NativeNkn.clientSendAndWait(handle, joined, data, (int) options.replyTimeout().toMillis()));
  }

  public NknReply sendAndWait(String destination, byte[] data) {
    return sendAndWait(List.of(destination), data);
  }

  /**
   * Sends data without asking for a reply (NKN is best effort, like UDP). The future
   * completes once a node connection took the message.
   */
  public CompletableFuture<Void> sendNoReply(List<String> destinations, byte[] data) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    submit(destinations, data, false, sent);
    return sent;
  }

  public CompletableFuture<Void> sendNoReply(String destination, byte[] data) {
    return sendNoReply(List.of(destination), data);
  }

  private void submit(List<String> destinations, byte[] data, boolean wantReply, CompletableFuture<?> outcome) {
    checkOpen();
    byte[] joined = joinLines("destinations", destinations);
    checkMessageSize(data, "message");
    long request = nextRequest.incrementAndGet();
    pending.put(request, outcome);
    try {
      NativeNkn.clientSend(handle, joined, data, request, wantReply, (int) options.replyTimeout().toMillis());
    } catch (RuntimeException e) {
      pending.remove(request);
      throw e;
    }
  }

  CompletableFuture<Void> reply(long token, byte[] data) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    try {
      checkOpen();
      checkMessageSize(data, "reply");
      long request = nextRequest.incrementAndGet();
      pending.put(request, sent);
      try {
        NativeNkn.clientReply(handle, token, data, request);
      } catch (RuntimeException e) {
        pending.remove(request);
        throw e;
      }
    } catch (NknException e) {
      sent.completeExceptionally(e);
    }
    return sent;
  }

  /**
   * Accepts sessions from remote addresses that match any of these regular expressions
   * (anchor a public key with {@code $}); replaces earlier patterns.
   */
  public void listen(List<String> acceptedAddressPatterns) {
    checkOpen();
    for (String pattern : acceptedAddressPatterns) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new NknException(NknException.Code.INVALID_ARGUMENT, "bad address pattern '" + pattern + "': " + e.getDescription());
      }
    }
    NativeNkn.clientListen(handle, joinLines("acceptedAddressPatterns", acceptedAddressPatterns));
  }

  /** Waits up to timeout for an incoming session (after {@link #listen}). Blocks. */
  public Optional<NknSession> accept(Duration timeout) {
    checkOpen();
    long session = NativeNkn.clientAccept(handle, clampMillis(timeout));
    return session == 0 ? Optional.empty() : Optional.of(track(session));
  }

  /** Waits for an incoming session until one arrives or the client closes. Blocks. */
  public NknSession accept() {
    while (true) {
      Optional<NknSession> session = accept(Duration.ofSeconds(1));
      if (session.isPresent()) {
        return session.get();
      }
    }
  }

  /** Opens a session to a remote client that listens. Blocks up to timeout. */
  public NknSession dial(String remoteAddress, Duration timeout) {
    checkOpen();
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    long session = NativeNkn.clientDial(handle, remoteAddress.getBytes(StandardCharsets.UTF_8), clampMillis(timeout));
    return track(session);
  }

  public NknSession dial(String remoteAddress) {
    return dial(remoteAddress, options.connectTimeout());
  }

  private NknSession track(long session) {
    NknSession opened = new NknSession(session, this, options.sessionIoTimeout());
    sessions.add(opened);
    return opened;
  }

  void forget(NknSession session) {
    sessions.remove(session);
  }

  /**
   * Subscribes this client's address to a topic for durationBlocks blocks (a transaction with
   * fee 0). Blocks for the RPC call.
   *
   * @return the transaction hash
   */
  public String subscribe(String topic, int durationBlocks, String meta) {
    checkOpen();
    if (topic == null || topic.isBlank() || durationBlocks <= 0) {
      throw new NknException(NknException.Code.INVALID_ARGUMENT, "subscribe needs a topic and a positive duration in blocks");
    }
    byte[] hash = NativeNkn.clientSubscribe(handle, utf8(options.identifier()), utf8(topic), durationBlocks,
        utf8(meta == null ? "" : meta));
    return new String(hash, StandardCharsets.UTF_8);
  }

  /**
   * The subscribers of a topic and their meta, including those whose subscription is still in
   * the node's transaction pool. Blocks for the RPC call.
   */
  public Map<String, String> subscribers(String topic) {
    checkOpen();
    byte[] encoded = NativeNkn.clientSubscribers(handle, utf8(topic), 1000, true);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(encoded);
    int count = in.getInt();
    Map<String, String> found = new HashMap<>();
    for (int i = 0; i < count; i++) {
      byte[] addr = new byte[in.getShort() & 0xffff];
      in.get(addr);
      byte[] meta = new byte[in.getInt()];
      in.get(meta);
      found.put(new String(addr, StandardCharsets.UTF_8), new String(meta, StandardCharsets.UTF_8));
    }
    return found;
  }

  /**
   * Closes every session of this client, then the client; outstanding futures fail with
   * {@code CLOSED}. Closing twice is harmless.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (NknSession session : List.copyOf(sessions)) {
      session.close();
    }
    try {
      NativeNkn.clientClose(handle);
    } catch (NknException e) {
      LOG.log(System.Logger.Level.WARNING, "closing NKN client " + address + ": " + e.getMessage());
    }
    if (Thread.currentThread() != poller) {
      try {
        poller.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    failPending();
  }

  private void pollLoop() {
    Sink sink = new Sink();
    while (!closed.get()) {
      byte[] batch;
      try {
        batch = NativeNkn.clientPoll(handle, POLL_TIMEOUT_MS, POLL_MAX_BYTES);
      } catch (NknException e) {
        if (e.code() == NknException.Code.CLOSED) {
          break;
        }
        LOG.log(System.Logger.Level.ERROR, "polling NKN client " + address + ": " + e.getMessage());
        continue;
      }
      if (batch != null) {
        NativeEvents.decode(batch, sink);
      }
    }
    failPending();
  }

  private void failPending() {
    for (Long request : List.copyOf(pending.keySet())) {
      CompletableFuture<?> outcome = pending.remove(request);
      if (outcome != null) {
        outcome.completeExceptionally(new NknException(NknException.Code.CLOSED, "client " + address + " closed"));
      }
    }
  }

  private void deliver(Consumer<NknMessage> handler, NknMessage message) {
    try {
      handler.accept(message);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "message handler of " + address + " failed", e);
    }
  }

  /** Routes decoded native events; runs on the poller thread. */
  private final class Sink implements NativeEvents.Sink {
    @Override
    public void message(long token, String source, byte[] data) {
      NknMessage message = new NknMessage(NknClient.this, token, source, data);
      Consumer<NknMessage> handler = messageHandler;
      if (handler == null) {
        synchronized (earlyMessages) {
          handler = messageHandler;
          if (handler == null) {
            if (earlyMessages.size() == EARLY_MESSAGES_KEPT) {
              earlyMessages.poll();
              LOG.log(System.Logger.Level.WARNING, "no message handler on " + address + " yet; dropped the oldest early message");
            }
            earlyMessages.add(message);
            return;
          }
        }
      }
      deliver(handler, message);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void reply(long request, String source, byte[] data) {
      CompletableFuture<?> outcome = pending.remove(request);
      if (outcome != null) {
        ((CompletableFuture<NknReply>) outcome).complete(new NknReply(source, data));
      }
    }

    @Override
    public void sent(long request) {
      CompletableFuture<?> outcome = pending.remove(request);
      if (outcome != null) {
        outcome.complete(null);
      }
    }

    @Override
    public void failed(long request, NknException error) {
      CompletableFuture<?> outcome = pending.remove(request);
      if (outcome != null) {
        outcome.completeExceptionally(error);
      }
    }

    @Override
    public void state(NknConnectionState newState) {
      NknConnectionState old = state;
      state = newState;
      if (old.connected() != newState.connected()) {
        LOG.log(newState.connected() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
            "NKN client " + address + (newState.connected() ? " connected" : " lost every node connection")
                + " (" + newState.connectedSubClients() + "/" + newState.totalSubClients() + " sub-clients)");
      }
      for (Consumer<NknConnectionState> listener : stateListeners) {
        try {
          listener.accept(newState);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "connection listener of " + address + " failed", e);
        }
      }
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new NknException(NknException.Code.CLOSED, "client " + address + " is closed");
    }
  }

  private static void checkMessageSize(byte[] data, String what) {
    if (data == null) {
      throw new NknException(NknException.Code.INVALID_ARGUMENT, what + " data is null");
    }
    if (data.length > MAX_MESSAGE_BYTES) {
      throw new NknException(NknException.Code.MESSAGE_TOO_LARGE,
          what + " of " + data.length + " bytes is over NKN's limit of " + MAX_MESSAGE_BYTES
              + " bytes; use a session (dial) for bulk data");
    }
  }

  private static byte[] joinLines(String what, List<String> values) {
    if (values == null || values.isEmpty()) {
      throw new NknException(NknException.Code.INVALID_ARGUMENT, what + ": name at least one");
    }
    for (String value : values) {
      if (value == null || value.isEmpty() || value.indexOf('\n') >= 0) {
        throw new NknException(NknException.Code.INVALID_ARGUMENT, what + ": '" + value + "' is empty or has a line break");
      }
    }
    return String.join("\n", values).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int clampMillis(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }
}

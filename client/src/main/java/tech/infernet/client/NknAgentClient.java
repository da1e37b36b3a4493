package tech.infernet.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import tech.infernet.nkn.NknAccount;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.nkn.NknMessage;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.AgentInfo;
import tech.infernet.protocol.message.AgentInfoRequest;
import tech.infernet.protocol.message.ErrorReply;
import tech.infernet.protocol.message.EventAck;
import tech.infernet.protocol.message.EventAcks;
import tech.infernet.protocol.message.JobAccepted;
import tech.infernet.protocol.message.JobCancel;
import tech.infernet.protocol.message.JobCancelled;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.JobEvents;
import tech.infernet.protocol.message.JobGet;
import tech.infernet.protocol.message.JobList;
import tech.infernet.protocol.message.JobPage;
import tech.infernet.protocol.message.JobResult;
import tech.infernet.protocol.message.JobResultGet;
import tech.infernet.protocol.message.JobStatus;
import tech.infernet.protocol.message.JobSubmit;
import tech.infernet.protocol.message.PairRequest;
import tech.infernet.protocol.message.PairResult;
import tech.infernet.protocol.message.PairingUri;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.spec.JobSpec;
import tech.infernet.protocol.spec.JobSpecs;
import tech.infernet.protocol.transfer.Manifest;

/**
 * Talks to Infernet agents over NKN: every request and reply is an envelope signed by its sender
 * and sealed to its recipient. Job events that agents push arrive through {@link #onEvent},
 * each (agent, job, sequence) once and in sequence order however NKN ordered them
 * ({@link EventOrder}), and are acknowledged so the agent stops resending.
 */
public final class NknAgentClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NknAgentClient.class.getName());

  private final NknClient nkn;
  private final SecureChannel channel;
  private final boolean ownsNkn;
  private final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "infernet-client-events");
    thread.setDaemon(true);
    return thread;
  });
  private final EventOrder order = new EventOrder(events, 1000, this::handOver);
  private final Transfers transfers;

  public NknAgentClient(NknClient nkn, SecureChannel channel) {
    this(nkn, channel, false);
  }

  private NknAgentClient(NknClient nkn, SecureChannel channel, boolean ownsNkn) {
    this.nkn = nkn;
    this.channel = channel;
    this.ownsNkn = ownsNkn;
    this.transfers = new Transfers(nkn, this);
    nkn.onMessage(this::onNknMessage);
  }

  /** Connects to NKN with this identity and an in-memory replay cache (a short-lived client). */
  public static NknAgentClient connect(KeyPair identity, NknClientOptions options) {
    NknClient nkn = NknClient.connect(NknAccount.fromSeed(identity.seed()), options);
    return new NknAgentClient(nkn, new SecureChannel(identity, new InMemoryReplayCache()), true);
  }

  /** Our NKN address, where agents deliver job events. */
  public String address() {
    return nkn.address();
  }

  /** Called for each new job event, on one thread, in the order the agent sent them. */
  public void onEvent(Consumer<JobEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Submits a job. A spec whose JSON is over {@link Manifest#INLINE_MAX} bytes is first put to the
   * agent through a transfer ({@link Transfers}) and then submitted by its SHA-256.
   */
  public CompletableFuture<JobAccepted> submit(String agent, JobSpec spec) {
    return submit(agent, spec, Duration.ZERO);
  }

  /**
   * Submits a job and asks the agent to answer once it has ended, or after {@code wait} (which
   * must be shorter than this client's reply timeout): a short job's events, up to its end, then
   * come in the answer ({@link JobAccepted#events()}) instead of one by one, and reach
   * {@link #onEvent} listeners like any other, before the returned future completes. A job still
   * running when the wait is over goes on sending its events as usual.
   */
  public CompletableFuture<JobAccepted> submit(String agent, JobSpec spec, Duration wait) {
    int waitMs = waitMillis(wait);
    byte[] json = JobSpecs.toJson(spec).getBytes(StandardCharsets.UTF_8);
    CompletableFuture<JobAccepted> accepted;
    if (json.length <= Manifest.INLINE_MAX) {
      accepted = request(agent, id -> new JobSubmit(id, spec).waiting(waitMs), JobAccepted.class);
    } else {
      accepted = CompletableFuture.supplyAsync(() -> transfers.put(agent, json), transfers.executor())
          .thenCompose(sha256 -> request(agent, id -> JobSubmit.byReference(id, sha256).waiting(waitMs), JobAccepted.class));
    }
    return accepted.thenCompose(answer -> answer.events().isEmpty()
        ? CompletableFuture.completedFuture(answer)
        : handOverCarried(agent, answer.events()).thenApply(handedOver -> answer));
  }

  private int waitMillis(Duration wait) {
    long ms = wait.toMillis();
    if (ms < 0 || ms > JobSubmit.MAX_WAIT_MS || wait.compareTo(nkn.options().replyTimeout()) >= 0) {
      throw new IllegalArgumentException("wait: 0 to " + JobSubmit.MAX_WAIT_MS
          + " ms and shorter than the reply timeout (" + nkn.options().replyTimeout().toMillis() + " ms), not " + ms);
    }
    return (int) ms;
  }

  /**
   * Events an answer carried: handed to the listeners in order with any that arrived otherwise,
   * then acknowledged to the agent in one {@code job.events} message, as a delivered batch is.
   */
  private CompletableFuture<Void> handOverCarried(String agent, List<JobEvent> carried) {
    String agentKey = SecureChannel.publicKeyOf(agent);
    CompletableFuture<Void> handedOver = new CompletableFuture<>();
    AtomicInteger waiting = new AtomicInteger(carried.size());
    Runnable each = () -> {
      if (waiting.decrementAndGet() == 0) {
        handedOver.complete(null);
        EventAcks acks = new EventAcks(carried.stream().map(e -> new EventAck(e.jobId(), e.seq())).toList());
        nkn.sendNoReply(agent, sealTo(agent, acks)).exceptionally(e -> {
          LOG.log(System.Logger.Level.DEBUG, "acknowledgement to " + agent + " not sent; the agent will re-send", e);
          return null;
        });
      }
    };
    try {
      events.execute(() -> carried.forEach(event -> order.accept(agentKey, event, each)));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      handedOver.complete(null); // closing: unacknowledged, so the agent sends them again
    }
    return handedOver;
  }

  /**
   * Fetches a finished job's result into {@code destination}: inline from the reply when small,
   * else in chunks over an NKN session, each verified against the signed manifest. An interrupted
   * fetch leaves {@code destination.part}; fetching again resumes from the chunks it holds.
   */
  public CompletableFuture<ResultFile> fetchResult(String agent, String jobId, Path destination) {
    return request(agent, id -> new JobResultGet(id, jobId), JobResult.class)
        .thenApplyAsync(result -> transfers.get(agent, result, destination), transfers.executor());
  }

  public CompletableFuture<JobStatus> get(String agent, String jobId) {
    return request(agent, id -> new JobGet(id, jobId), JobStatus.class);
  }

  public CompletableFuture<JobPage> list(String agent, String state, int limit) {
    return request(agent, id -> new JobList(id, state, limit, null), JobPage.class);
  }

  public CompletableFuture<JobCancelled> cancel(String agent, String jobId) {
    return request(agent, id -> new JobCancel(id, jobId), JobCancelled.class);
  }

  public CompletableFuture<AgentInfo> info(String agent) {
    return request(agent, AgentInfoRequest::new, AgentInfo.class);
  }

  /** Presents a pairing link's secret; the agent adds our key with the link's role. */
  public CompletableFuture<PairResult> pair(PairingUri uri, String name) {
    return request(uri.agentAddress(), id -> new PairRequest(id, uri.secret(), name), PairResult.class);
  }

  /**
   * Sends a request to the agent at that NKN address and completes with its reply, or with an
   * {@link AgentException} carrying the agent's error code.
   */
  public <R extends Payload.Reply> CompletableFuture<R> request(String agent, Function<String, Payload.Request> build,
      Class<R> replyType) {
    Payload.Request request = build.apply(UUID.randomUUID().toString());
    byte[] agentKey = HexFormat.of().parseHex(SecureChannel.publicKeyOf(agent));
    return nkn.send(agent, channel.seal(agentKey, request))
        .thenApply(reply -> openReply(agent, request.id(), reply.source(), reply.data(), replyType));
  }

  /**
   * Opens the agent's answer to request {@code requestId}: an envelope from the agent's key, a
   * reply of that type to that request, or its error as an {@link AgentException}.
   */
  <R extends Payload.Reply> R openReply(String agent, String requestId, String nknSource, byte[] envelope,
      Class<R> replyType) {
    SecureChannel.Inbound in;
    try {
      in = channel.open(nknSource, envelope);
    } catch (ProtocolException e) {
      throw new AgentException(e.code(), "the agent's reply was refused: " + e.reason(), null);
    }
    if (!in.senderHex().equals(SecureChannel.publicKeyOf(agent))) {
      throw new AgentException(ErrorCode.BAD_KEY, "reply signed by another key", null);
    }
    if (in.payload() instanceof ErrorReply error) {
      throw AgentException.of(error);
    }
    if (!replyType.isInstance(in.payload()) || !requestId.equals(((Payload.Reply) in.payload()).re())) {
      throw new AgentException(ErrorCode.BAD_PAYLOAD,
          "expected " + replyType.getSimpleName() + " for request " + requestId + ", got " + in.payload().type(), null);
    }
    return replyType.cast(in.payload());
  }

  /** A binary envelope of payload, signed by us and sealed to the agent at that NKN address. */
  byte[] sealTo(String agent, Payload payload) {
    return channel.seal(HexFormat.of().parseHex(SecureChannel.publicKeyOf(agent)), payload);
  }

  private void onNknMessage(NknMessage message) {
    SecureChannel.Inbound in;
    try {
      in = channel.open(message.source(), message.data());
    } catch (ProtocolException e) {
      LOG.log(System.Logger.Level.WARNING, "refused an envelope from " + message.source() + ": " + e.getMessage());
      return;
    }
    if (in.payload() instanceof JobEvents batch) {
      onBatch(message, in, batch);
      return;
    }
    if (!(in.payload() instanceof JobEvent event)) {
      LOG.log(System.Logger.Level.WARNING, "ignored unexpected " + in.payload().type() + " from " + message.source());
      return;
    }
    // Acknowledged only after the listeners had it (and every earlier event of its job): an
    // event is never acked and then lost.
    try {
      events.execute(() -> order.accept(in.senderHex(), event, () -> {
        if (message.canReply()) {
          message.reply(channel.seal(in.sender(), new EventAck(event.jobId(), event.seq())));
        }
      }));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closing: unacknowledged, so the agent sends it again to whoever listens next
    }
  }

  /** A batch is acknowledged, as a whole, once every event in it has been handed over. */
  private void onBatch(NknMessage message, SecureChannel.Inbound in, JobEvents batch) {
    List<JobEvent> all = batch.events();
    AtomicInteger waiting = new AtomicInteger(all.size());
    Runnable handedOver = () -> {
      if (waiting.decrementAndGet() == 0 && message.canReply()) {
        message.reply(channel.seal(in.sender(),
            new EventAcks(all.stream().map(e -> new EventAck(e.jobId(), e.seq())).toList())));
      }
    };
    try {
      events.execute(() -> all.forEach(event -> order.accept(in.senderHex(), event, handedOver)));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closing: unacknowledged, so the agent sends them again
    }
  }

  private void handOver(JobEvent event) {
    for (Consumer<JobEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "job event listener failed", e);
      }
    }
  }

  @Override
  public void close() {
    events.shutdown();
    transfers.close();
    if (ownsNkn) {
      nkn.close();
    }
  }
}

package tech.infernet.agent.transport;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.store.EnvelopeReplays;
import tech.infernet.client.SecureChannel;
import tech.infernet.nkn.NknAccount;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.nkn.NknMessage;
import tech.infernet.protocol.EnvelopeCodec;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.Receiver;
import tech.infernet.protocol.message.AgentInfo;
import tech.infernet.protocol.message.ErrorReply;
import tech.infernet.protocol.message.EventAcks;
import tech.infernet.protocol.message.JobAccepted;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.JobSubmit;
import tech.infernet.protocol.message.PairingUri;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.message.PayloadException;
import tech.infernet.protocol.message.Role;

/**
 * The agent on NKN: reachable at {@code identifier.publicKey} from anywhere, no port forwarding.
 * Every request is a signed envelope sealed to the agent; it is opened (signature, recipient,
 * clock skew, replay), its sender's role looked up, rate-limited, carried out, and answered with
 * an envelope sealed to the sender. Unknown keys get {@code unauthorized} and nothing else. Job
 * events go back to their owners through {@link EventDelivery}; large results and job specs move
 * over NKN sessions through {@link Transfers}.
 */
public final class NknFace implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NknFace.class.getName());
  private static final int WORKERS = 2;
  private static final int QUEUE = 1024;

  private final NknClient nkn;
  private final FaceStore faces;
  private final SecureChannel channel;
  private final Access access;
  private final AgentRequests requests;
  private final EventDelivery delivery;
  private final ExecutorService workers;
  private final FaceConfig config;
  private final Transfers transfers;

  /** Opens acknowledgements of events carried in answers: in-memory replay cache, as for delivery's own acks. */
  private final SecureChannel ackChannel;

  private NknFace(NknClient nkn, FaceStore faces, SecureChannel channel, Access access, AgentRequests requests,
      EventDelivery delivery, FaceConfig config, Transfers transfers, SecureChannel ackChannel) {
    this.transfers = transfers;
    this.ackChannel = ackChannel;
    this.nkn = nkn;
    this.faces = faces;
    this.channel = channel;
    this.access = access;
    this.requests = requests;
    this.delivery = delivery;
    this.config = config;
    AtomicInteger n = new AtomicInteger();
    // Blocking work (SQLite, the engine) runs here, never on the NKN poll thread; a full queue
    // sheds load instead of stalling message intake.
    this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, "nkn-face-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Connects to NKN with the agent's identity (blocks until a node accepts) and starts serving. */
  public static NknFace start(JobEngine engine, byte[] identitySeed, FaceConfig config, Supplier<AgentInfo> info)
      throws IOException {
    KeyPair identity = KeyPair.fromSeed(identitySeed);
    FaceStore faces = new FaceStore(config.stateDir().resolve("face.db"));
    SecureChannel channel = new SecureChannel(identity, EnvelopeReplays.open(engine.store(), 100_000), Clock.systemUTC(),
        new Receiver.Options(Duration.ofSeconds(120), config.maxEnvelopeBytes()));
    Access access = new Access(engine.store(), new TokenBuckets(config.requestsPerSecond(), config.burst(), System::nanoTime));
    for (String relay : config.relays()) {
      String key = SecureChannel.publicKeyOf(relay);
      if (access.role(key).isEmpty()) {
        access.grant(key, Role.CARRIER);
        LOG.info("relay " + relay + " may carry envelopes to this agent (role carrier)");
      }
    }
    NknClient nkn = NknClient.connect(NknAccount.fromSeed(identitySeed),
        NknClientOptions.builder(config.seedRpc()).identifier(config.identifier()).build());
    Uploads uploads = new Uploads(config.stateDir().resolve("uploads"));
    ResultContent results = new ResultContent();
    AgentRequests requests = new AgentRequests(engine, faces, access, config, info, uploads, results);
    Transfers transfers = new Transfers(nkn, channel, access, requests, uploads, results, config.maxEnvelopeBytes());
    // Acknowledgements of our own events need no durable replay record: an ack names the (job, seq)
    // it acknowledges, so a replayed one can only repeat itself. Keeping them off face.db spares an
    // fsync per event on the thread that also checks incoming requests.
    SecureChannel deliveryChannel = new SecureChannel(identity, new InMemoryReplayCache(), Clock.systemUTC(),
        new Receiver.Options(Duration.ofSeconds(120), config.maxEnvelopeBytes()));
    EventDelivery delivery = new EventDelivery(engine.store(), faces, nkn, deliveryChannel);
    NknFace face = new NknFace(nkn, faces, channel, access, requests, delivery, config, transfers, deliveryChannel);
    nkn.onMessage(face::accept);
    transfers.start();
    engine.store().onEvent(event -> {
      if (!delivery.holds().stored(event)) {
        delivery.wake();
      }
    });
    delivery.start(config.deliveryInterval());
    LOG.info("agent on NKN at " + nkn.address());
    return face;
  }

  /** The agent's NKN address, {@code identifier.publicKeyHex}. */
  public String address() {
    return nkn.address();
  }

  /** A one-time pairing link that grants role to the first key presenting it within ttl. */
  public PairingUri newPairing(Role role, Duration ttl) throws IOException {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    long expires = System.currentTimeMillis() + ttl.toMillis();
    faces.addPairing(encoded, role, expires);
    return new PairingUri(nkn.address(), encoded, expires);
  }

  private void accept(NknMessage message) {
    try {
      workers.execute(() -> handle(message));
    } catch (RejectedExecutionException busy) {
      LOG.warning("request queue full; dropped a message from " + message.source());
    }
  }

  void handle(NknMessage message) {
    String sourceKey = SecureChannel.publicKeyOf(message.source());
    String re = null;
    byte[] replyTo = null;
    try {
      boolean ack = EnvelopeCodec.peekType(message.data()).filter(t -> t == MessageType.JOB_EVENTS).isPresent();
      if (ack) {
        access.checkAckRate(sourceKey);
      } else {
        access.checkRate(sourceKey);
      }
      SecureChannel.Inbound in = (ack ? ackChannel : channel).open(message.source(), message.data());
      if (ack) {
        acknowledged(in);
        return;
      }
      replyTo = in.sender();
      if (in.payload() instanceof Payload.Request request) {
        re = request.id();
      }
      if (in.carried()) {
        access.checkCarrier(sourceKey);
        access.checkRate(in.senderHex());
      }
      if (!(in.payload() instanceof Payload.Request request)) {
        throw new RequestException(ErrorCode.UNSUPPORTED_TYPE, in.payload().type().wireName() + " is not a request");
      }
      faces.rememberPeer(in.senderHex(), message.source());
      delivery.ownerSeen(in.senderHex());
      AgentRequests.Caller caller = new AgentRequests.Caller(in.senderHex(), access.role(in.senderHex()).orElse(null));
      if (request instanceof JobSubmit submit && submit.waitMs() > 0 && !in.carried() && caller.role() != null) {
        submitAndAnswerLater(message, in.sender(), caller, submit);
        return;
      }
      reply(message, in.sender(), requests.handle(caller, request));
    } catch (PayloadException e) {
      replyError(message, sourceKey, e.requestId(), e.code(), e.reason(), e.field(), e.detail());
    } catch (ProtocolException e) {
      replyError(message, sourceKey, null, e.code(), e.reason(), null, null);
    } catch (RequestException e) {
      replyError(message, replyTo == null ? sourceKey : HexFormat.of().formatHex(replyTo), re, e.code(), e.getMessage(),
          e.field(), e.detail());
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "request from " + message.source() + " failed", e);
      replyError(message, replyTo == null ? sourceKey : HexFormat.of().formatHex(replyTo), re, ErrorCode.INTERNAL,
          "the agent failed to carry out the request", null, null);
    }
  }

  /**
   * An owner's {@code job.events} acknowledgement of events an answer carried (the only
   * {@code job.events} an agent receives as a message: acks of its own sends come as replies).
   */
  private void acknowledged(SecureChannel.Inbound in) throws RequestException {
    if (in.carried() || !(in.payload() instanceof EventAcks acks)) {
      throw new RequestException(ErrorCode.UNSUPPORTED_TYPE, "an agent takes job.events only as acknowledgements from their owner");
    }
    delivery.holds().acknowledged(in.senderHex(), acks.acks());
  }

  /**
   * A submit that asked to wait: the job is stored as usual (errors answered at once), and the
   * answer goes when the job has ended or the wait is over, carrying its events so far.
   */
  private void submitAndAnswerLater(NknMessage message, byte[] sender, AgentRequests.Caller caller, JobSubmit submit)
      throws RequestException {
    ReplyHolds holds = delivery.holds();
    JobId[] held = new JobId[1];
    JobAccepted accepted;
    try {
      accepted = requests.submit(caller, submit, id -> {
        held[0] = id;
        holds.hold(id, caller.keyHex());
      });
    } catch (RequestException | RuntimeException e) {
      if (held[0] != null) {
        holds.release(held[0]); // e.g. rejected: its events go through delivery
      }
      throw e;
    }
    JobId job = held[0];
    holds.answer(job, submit.waitMs())
        .thenAcceptAsync(events -> answer(message, sender, accepted, job, events), workers)
        .exceptionally(e -> {
          LOG.log(Level.WARNING, "could not answer the submit of job " + job, e);
          holds.release(job);
          return null;
        });
  }

  private void answer(NknMessage message, byte[] sender, JobAccepted accepted, JobId job,
      List<tech.infernet.agent.store.JobEvent> stored) {
    List<JobEvent> events = new ArrayList<>();
    String state = accepted.state();
    int bytes = 0;
    for (tech.infernet.agent.store.JobEvent e : stored) {
      bytes += e.payload().length();
      if (!events.isEmpty() && bytes > EventDelivery.BATCH_BYTES) {
        break; // the rest go through delivery
      }
      JobEvent wire = EventDelivery.toWire(e);
      events.add(wire);
      if ("state".equals(wire.kind()) && wire.data().get("state") instanceof String s) {
        state = s.toLowerCase(Locale.ROOT);
      }
    }
    ReplyHolds holds = delivery.holds();
    if (events.isEmpty() || !message.canReply()) {
      holds.release(job);
      reply(message, sender, accepted);
      return;
    }
    holds.carried(job, events.get(events.size() - 1).seq());
    message.reply(channel.seal(sender, new JobAccepted(accepted.re(), accepted.jobId(), state, events)))
        .whenComplete((sent, e) -> {
          if (e != null) {
            holds.release(job);
          }
        });
  }

  private void reply(NknMessage message, byte[] recipient, Payload.Reply reply) {
    if (message.canReply()) {
      message.reply(channel.seal(recipient, reply));
    }
  }

  private void replyError(NknMessage message, String recipientHex, String re, ErrorCode code, String text,
      String field, String detail) {
    if (!recipientHex.matches("[0-9a-f]{64}")) {
      return; // nobody to seal an answer to
    }
    try {
      reply(message, HexFormat.of().parseHex(recipientHex), new ErrorReply(re, code, truncate(text), field, detail));
    } catch (IllegalArgumentException e) {
      LOG.fine("could not answer " + message.source() + ": " + e.getMessage());
    }
  }

  private static String truncate(String text) {
    String s = text == null ? "" : text;
    return s.length() > 1000 ? s.substring(0, 1000) : s;
  }

  FaceConfig config() {
    return config;
  }

  @Override
  public void close() {
    transfers.close();
    delivery.close();
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    nkn.close();
    faces.close();
  }
}

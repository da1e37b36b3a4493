package tech.infernet.relay.transport;

import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.client.SecureChannel;
import tech.infernet.mobile.MobileApi;
import tech.infernet.mobile.agents.AgentLinks;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.nkn.NknMessage;
import tech.infernet.protocol.Envelope;
import tech.infernet.protocol.EnvelopeCodec;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.ErrorReply;
import tech.infernet.protocol.message.EventAck;
import tech.infernet.protocol.message.EventCarry;
import tech.infernet.protocol.message.Payload;

/**
 * Takes the job events agents hand the relay for phones ({@code event.carry}): checks the outer
 * envelope (signed by the agent, sealed to the relay, fresh, not replayed), that the inner one is
 * a {@code job.event} signed by the same agent for the named phone, and that the phone linked
 * that agent; stores it (once per agent, job and sequence) and answers {@code event.ack}, after
 * which the agent stops re-sending. The inner envelope stays sealed: the relay keeps its bytes.
 */
public final class CarriedEvents implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CarriedEvents.class.getName());
  private final SecureChannel channel;
  private final MobileApi api;
  private final AgentLinks links;
  private final int maxEnvelopeBytes;
  /** SQLite reads and crypto run here, never on the binding's delivery thread; a full queue sheds load. */
  private final ExecutorService workers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(4096), r -> {
        Thread t = new Thread(r, "relay-carried-events");
        t.setDaemon(true);
        return t;
      });

  public CarriedEvents(SecureChannel channel, MobileApi api, int maxEnvelopeBytes) {
    this.channel = channel;
    this.api = api;
    this.links = api.agentLinks();
    this.maxEnvelopeBytes = maxEnvelopeBytes;
  }

  public void accept(NknMessage message) {
    try {
      workers.execute(() -> handle(message));
    } catch (RejectedExecutionException busy) {
      LOG.warning("event queue full; dropped a message from " + message.source() + " (its agent re-sends it)");
    }
  }

  void handle(NknMessage message) {
    String sourceKey = SecureChannel.publicKeyOf(message.source());
    SecureChannel.Inbound in;
    try {
      in = channel.open(message.source(), message.data());
    } catch (ProtocolException e) {
      answer(message, sourceKey, new ErrorReply(null, e.code(), e.getMessage(), null, null));
      return;
    }
    Payload p = in.payload();
    if (in.carried() || !(p instanceof EventCarry carry)) {
      answer(message, in.senderHex(), new ErrorReply(null, ErrorCode.UNSUPPORTED_TYPE,
          "a relay takes only event.carry, sent by the agent itself", null, null));
      return;
    }
    String problem = innerProblem(carry, in.sender());
    if (problem != null) {
      answer(message, in.senderHex(), new ErrorReply(null, ErrorCode.BAD_PAYLOAD, problem, "envelope", null));
      return;
    }
    String phone = KeyIds.of(HexFormat.of().parseHex(carry.owner()));
    String agent = KeyIds.of(in.sender());
    if (links.find(phone, agent).isEmpty()) {
      answer(message, in.senderHex(), new ErrorReply(null, ErrorCode.UNAUTHORIZED,
          "the owner has not linked this agent at this relay", "owner", null));
      return;
    }
    links.seen(agent, true);
    api.ingest(phone, carry.jobId(), carry.status(), carry.envelope(), in.senderHex() + "/" + carry.jobId() + "/" + carry.seq())
        .whenComplete((stored, error) -> {
          if (error == null) {
            answer(message, in.senderHex(), new EventAck(carry.jobId(), carry.seq()));
          } else {
            LOG.log(Level.WARNING, "could not store an event from " + message.source(), error);
            answer(message, in.senderHex(), new ErrorReply(null, ErrorCode.UNAVAILABLE,
                "the relay could not store the event; send it again later", null, null));
          }
        });
  }

  /** Why the carried envelope is not a job.event from this agent to the named owner, or null. */
  private String innerProblem(EventCarry carry, byte[] agent) {
    Envelope inner;
    try {
      inner = EnvelopeCodec.fromBinary(carry.envelope(), maxEnvelopeBytes);
    } catch (ProtocolException e) {
      return "the carried envelope does not decode: " + e.getMessage();
    }
    if (inner.type() != MessageType.JOB_EVENT) {
      return "the carried envelope is a " + inner.type().wireName() + ", not a job.event";
    }
    if (!java.util.Arrays.equals(inner.sender(), agent)) {
      return "the carried envelope is signed by another key than the agent's";
    }
    if (!HexFormat.of().formatHex(inner.recipient()).equals(carry.owner())) {
      return "the carried envelope is sealed to another key than owner";
    }
    if (!inner.verifySignature()) {
      return "the carried envelope's signature does not verify";
    }
    return null;
  }

  private void answer(NknMessage message, String recipientHex, Payload payload) {
    if (!message.canReply() || !recipientHex.matches("[0-9a-f]{64}")) {
      return;
    }
    try {
      message.reply(channel.seal(HexFormat.of().parseHex(recipientHex), payload));
    } catch (RuntimeException e) {
      LOG.fine("could not answer " + message.source() + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package tech.infernet.agent.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.agent.jobs.Json;
import tech.infernet.agent.jobs.SpecException;
import tech.infernet.agent.store.OutboxEntry;
import tech.infernet.agent.store.Store;
import tech.infernet.client.SecureChannel;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknException;
import tech.infernet.nkn.NknReply;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.EventAck;
import tech.infernet.protocol.message.EventCarry;
import tech.infernet.protocol.message.JobEvent;

/**
 * Delivers job events from the outbox to their owners over NKN, at least once: each event is
 * sent as a sealed {@code job.event} and counts as delivered only when the owner's sealed
 * {@code event.ack} for that (job, seq) comes back. An owner whose requests came through a
 * carrier (a relay; its last known address holds another key) is reached through that carrier:
 * the owner's sealed event goes inside an {@code event.carry} sealed to the carrier, and the
 * carrier's {@code event.ack} (it has stored the event) counts. Events of one owner go one at a time, oldest
 * first, so an owner sees them in order. A stored event wakes delivery at once; an owner that is
 * offline is retried every interval.
 */
final class EventDelivery implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventDelivery.class.getName());
  private static final int BATCH = 500;
  private final Store store;
  private final FaceStore faces;
  private final NknClient nkn;
  private final SecureChannel channel;
  /** Owners whose last delivery failed, and when to try them again: one away owner must not stall the rest. */
  private final Map<String, long[]> backoff = new java.util.concurrent.ConcurrentHashMap<>();
  private static final long FIRST_BACKOFF_MS = 2_000;
  private static final long MAX_BACKOFF_MS = 60_000;
  private final java.util.concurrent.atomic.AtomicBoolean woken = new java.util.concurrent.atomic.AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "event-delivery");
    t.setDaemon(true);
    return t;
  });

  EventDelivery(Store store, FaceStore faces, NknClient nkn, SecureChannel channel) {
    this.store = store;
    this.faces = faces;
    this.nkn = nkn;
    this.channel = channel;
  }

  void start(Duration interval) {
    timer.scheduleWithFixedDelay(this::drainSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A new event was stored: deliver now instead of at the next interval (wake-ups coalesce). */
  void wake() {
    if (woken.compareAndSet(false, true)) {
      timer.execute(() -> {
        woken.set(false);
        drainSafely();
      });
    }
  }

  private void drainSafely() {
    try {
      drain();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "event delivery round failed: " + e.getMessage(), e);
    }
  }

  /** One round: every owner with pending events gets them in order until one is not acknowledged. */
  void drain() {
    Map<String, List<OutboxEntry>> byRecipient = new LinkedHashMap<>();
    for (OutboxEntry entry : store.pendingOutbox(BATCH)) {
      byRecipient.computeIfAbsent(entry.recipient(), k -> new ArrayList<>()).add(entry);
    }
    long now = System.currentTimeMillis();
    for (Map.Entry<String, List<OutboxEntry>> owner : byRecipient.entrySet()) {
      long[] wait = backoff.get(owner.getKey());
      if (wait != null && now < wait[0]) {
        continue;
      }
      Optional<String> address;
      try {
        address = faces.peerAddress(owner.getKey());
      } catch (IOException e) {
        return;
      }
      if (address.isEmpty()) {
        continue; // the owner has not spoken to us over NKN yet; its events wait
      }
      List<Long> delivered = new ArrayList<>();
      for (OutboxEntry entry : owner.getValue()) {
        if (!deliver(owner.getKey(), address.get(), entry)) {
          long next = wait == null ? FIRST_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, wait[1] * 2);
          backoff.put(owner.getKey(), new long[] {System.currentTimeMillis() + next, next});
          break;
        }
        backoff.remove(owner.getKey());
        delivered.add(entry.id());
      }
      if (!delivered.isEmpty()) {
        store.markDelivered(delivered).join();
      }
    }
  }

  private boolean deliver(String ownerHex, String address, OutboxEntry entry) {
    JobEvent event = toWire(entry.event());
    byte[] sealed = channel.seal(HexFormat.of().parseHex(ownerHex), event);
    String acker = SecureChannel.publicKeyOf(address);
    byte[] message = acker.equals(ownerHex) ? sealed : channel.seal(HexFormat.of().parseHex(acker),
        new EventCarry(ownerHex, event.jobId(), event.seq(), statusOf(event), sealed));
    try {
      NknReply reply = nkn.sendAndWait(address, message);
      SecureChannel.Inbound ack = channel.open(reply.source(), reply.data());
      return ack.senderHex().equals(acker) && ack.payload() instanceof EventAck a
          && a.jobId().equals(event.jobId()) && a.seq() == event.seq();
    } catch (NknException | ProtocolException e) {
      LOG.fine("event " + event.jobId() + "#" + event.seq() + " to " + address + " not acknowledged: " + e.getMessage());
      return false;
    }
  }

  /** The owner just spoke to us (maybe from a new address): try its events again at once. */
  void ownerSeen(String ownerHex) {
    if (backoff.remove(ownerHex) != null) {
      wake();
    }
  }

  /** The job's state when the event was made, in the clear for a carrier (docs/protocol.md, event.carry). */
  static String statusOf(JobEvent event) {
    if ("state".equals(event.kind()) && event.data().get("state") instanceof String state) {
      return state.toLowerCase(Locale.ROOT);
    }
    return "progress".equals(event.kind()) ? "preparing" : "running";
  }

  static JobEvent toWire(tech.infernet.agent.store.JobEvent stored) {
    Map<String, Object> data;
    try {
      Object tree = Json.parse(stored.payload(), 32);
      @SuppressWarnings("unchecked")
      Map<String, Object> map = tree instanceof Map<?, ?> ? (Map<String, Object>) tree : Map.of("value", tree);
      data = map;
    } catch (SpecException e) {
      data = Map.of("text", stored.payload());
    }
    return new JobEvent(stored.jobId().toString(), stored.seq(), stored.time(),
        stored.type().toLowerCase(Locale.ROOT), data);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

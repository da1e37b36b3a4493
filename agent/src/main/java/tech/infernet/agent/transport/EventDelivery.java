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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.agent.jobs.Json;
import tech.infernet.agent.jobs.SpecException;
import tech.infernet.agent.store.OutboxEntry;
import tech.infernet.agent.store.Store;
import tech.infernet.client.SecureChannel;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknReply;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.EventAck;
import tech.infernet.protocol.message.EventAcks;
import tech.infernet.protocol.message.EventCarry;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.JobEvents;

/**
 * Delivers job events from the outbox to their owners over NKN, at least once: each event is
 * sent as a sealed {@code job.event} and counts as delivered only when the owner's sealed
 * {@code event.ack} for that (job, seq) comes back. An owner's events go out back to back in
 * order, up to {@value #WINDOW} awaiting their acknowledgement at once, several waiting at the
 * same time in one {@code job.events} (acknowledged together); NKN may reorder them, and
 * the client puts them back in order (it acknowledges an event only once it has handed it, and
 * every earlier one, over). A stored event wakes delivery at once; an owner that does not answer
 * is retried with backoff.
 *
 * <p>An owner whose requests came through a carrier (a relay; its last known address holds another
 * key) is reached through that carrier: the owner's sealed event goes inside an {@code event.carry}
 * sealed to the carrier, and the carrier's {@code event.ack} (it has stored the event) counts.
 * Those go one at a time, so the carrier stores them in order.
 */
final class EventDelivery implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventDelivery.class.getName());
  private static final int BATCH = 500;
  /** Events of one directly reached owner awaiting acknowledgement at once. */
  static final int WINDOW = 64;
  /** Payload characters in one batch, well under a client's envelope limit. */
  static final int BATCH_BYTES = 256 * 1024;
  private static final long FIRST_BACKOFF_MS = 2_000;
  private static final long MAX_BACKOFF_MS = 60_000;
  private final Store store;
  private final FaceStore faces;
  private final NknClient nkn;
  private final SecureChannel channel;
  /** Owners whose last delivery failed, and when to try them again: one away owner must not stall the rest. */
  private final Map<String, long[]> backoff = new ConcurrentHashMap<>();
  /** Outbox ids sent and not yet acknowledged (or failed), and how many per owner. */
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> inFlightPerOwner = new ConcurrentHashMap<>();
  private final AtomicBoolean woken = new AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "event-delivery");
    t.setDaemon(true);
    return t;
  });

  private final ReplyHolds holds;

  EventDelivery(Store store, FaceStore faces, NknClient nkn, SecureChannel channel) {
    this.store = store;
    this.faces = faces;
    this.nkn = nkn;
    this.channel = channel;
    this.holds = new ReplyHolds(store, this::wake);
  }

  /** Jobs whose events go in a held answer instead (job.submit with waitMs). */
  ReplyHolds holds() {
    return holds;
  }

  void start(Duration interval) {
    timer.scheduleWithFixedDelay(this::drainSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A new event was stored (or one was acknowledged): deliver now instead of at the next interval. */
  void wake() {
    if (woken.compareAndSet(false, true)) {
      try {
        timer.execute(() -> {
          woken.set(false);
          drainSafely();
        });
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        woken.set(false);
      }
    }
  }

  private void drainSafely() {
    try {
      drain();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "event delivery round failed: " + e.getMessage(), e);
    }
  }

  /** One round: sends every owner's pending events that are not in flight yet, oldest first. */
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
      boolean carried = !SecureChannel.publicKeyOf(address.get()).equals(owner.getKey());
      AtomicInteger sending = inFlightPerOwner.computeIfAbsent(owner.getKey(), k -> new AtomicInteger());
      List<OutboxEntry> batch = new ArrayList<>();
      int batchBytes = 0;
      for (OutboxEntry entry : owner.getValue()) {
        if (sending.get() >= (carried ? 1 : WINDOW)) {
          break;
        }
        if (holds.holds(entry)) {
          continue; // goes (or went) in the answer to its submit
        }
        if (inFlight.add(entry.id())) {
          sending.incrementAndGet();
          if (carried) {
            send(owner.getKey(), address.get(), List.of(entry), sending);
            continue;
          }
          if (!batch.isEmpty()
              && (batch.size() == JobEvents.MAX || batchBytes + entry.event().payload().length() > BATCH_BYTES)) {
            send(owner.getKey(), address.get(), batch, sending);
            batch = new ArrayList<>();
            batchBytes = 0;
          }
          batch.add(entry);
          batchBytes += entry.event().payload().length();
        }
      }
      if (!batch.isEmpty()) {
        send(owner.getKey(), address.get(), batch, sending);
      }
    }
  }

  /**
   * Sends entries to the owner: one as a {@code job.event} (through its carrier when it has one),
   * several as one {@code job.events}. Each counts as delivered once its acknowledgement is back.
   */
  private void send(String ownerHex, String address, List<OutboxEntry> entries, AtomicInteger sending) {
    List<JobEvent> events = entries.stream().map(e -> toWire(e.event())).toList();
    String acker = SecureChannel.publicKeyOf(address);
    CompletableFuture<Set<String>> acked;
    try {
      byte[] owner = HexFormat.of().parseHex(ownerHex);
      byte[] message;
      if (events.size() > 1) {
        message = channel.seal(owner, new JobEvents(events));
      } else {
        byte[] sealed = channel.seal(owner, events.get(0));
        message = acker.equals(ownerHex) ? sealed : channel.seal(HexFormat.of().parseHex(acker),
            new EventCarry(ownerHex, events.get(0).jobId(), events.get(0).seq(), statusOf(events.get(0)), sealed));
      }
      acked = nkn.send(address, message).thenApply(reply -> acks(reply, acker));
    } catch (RuntimeException e) {
      acked = CompletableFuture.failedFuture(e);
    }
    acked.whenComplete((acks, error) -> {
      List<OutboxEntry> delivered = new ArrayList<>();
      List<OutboxEntry> missed = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        (error == null && acks.contains(key(events.get(i).jobId(), events.get(i).seq())) ? delivered : missed)
            .add(entries.get(i));
      }
      if (!delivered.isEmpty()) {
        backoff.remove(ownerHex);
        // Still "in flight" until stored as delivered, so that no round sends them again meanwhile.
        store.markDelivered(delivered.stream().map(OutboxEntry::id).toList())
            .whenComplete((v, e) -> delivered.forEach(entry -> settle(entry, sending, true)));
      }
      if (!missed.isEmpty()) {
        LOG.fine(missed.size() + " of " + entries.size() + " events to " + address + " not acknowledged"
            + (error == null ? "" : ": " + error.getMessage()));
        long[] wait = backoff.get(ownerHex);
        long next = wait == null ? FIRST_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, wait[1] * 2);
        if (wait == null || System.currentTimeMillis() >= wait[0]) {
          backoff.put(ownerHex, new long[] {System.currentTimeMillis() + next, next});
        }
        missed.forEach(entry -> settle(entry, sending, false));
      }
    });
  }

  private void settle(OutboxEntry entry, AtomicInteger sending, boolean delivered) {
    inFlight.remove(entry.id());
    sending.decrementAndGet();
    if (delivered) {
      wake(); // room in the window for the owner's next events
    }
  }

  /** The (job, seq)s an answer signed by the acker acknowledges: an event.ack or a job.events' acks. */
  private Set<String> acks(NknReply reply, String ackerHex) {
    try {
      SecureChannel.Inbound answer = channel.open(reply.source(), reply.data());
      if (!answer.senderHex().equals(ackerHex)) {
        return Set.of();
      }
      if (answer.payload() instanceof EventAck a) {
        return Set.of(key(a.jobId(), a.seq()));
      }
      if (answer.payload() instanceof EventAcks list) {
        return list.acks().stream().map(a -> key(a.jobId(), a.seq())).collect(java.util.stream.Collectors.toSet());
      }
      return Set.of();
    } catch (ProtocolException e) {
      LOG.fine("an answer to events from " + reply.source() + " did not open: " + e.getMessage());
      return Set.of();
    }
  }

  private static String key(String jobId, long seq) {
    return jobId + "#" + seq;
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
    holds.close();
    timer.shutdownNow();
  }
}

package tech.infernet.agent.transport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.store.JobEvent;
import tech.infernet.agent.store.OutboxEntry;
import tech.infernet.agent.store.Store;
import tech.infernet.protocol.message.EventAck;
import tech.infernet.protocol.message.JobEvents;

/**
 * Jobs whose submitter asked to wait for the answer ({@code job.submit} with {@code waitMs}). While
 * the answer is held, the job's events stay out of outbox delivery and are gathered for the answer;
 * once it has gone, delivery leaves the events it carried alone until the submitter acknowledges
 * them, or for {@link #ACK_WAIT_MS}, after which they are delivered as usual (receivers dedupe).
 * So a short job costs one request and one answer on the critical path, and nothing is acknowledged
 * that the submitter did not confirm.
 */
final class ReplyHolds implements AutoCloseable {
  /** Longest an answer is held, whatever the submit asked: well inside NKN's reply window. */
  static final long MAX_WAIT_MS = 30_000;
  /** How long events carried in an answer wait for their acknowledgement before delivery takes them back. */
  static final long ACK_WAIT_MS = 5_000;

  private final Store store;
  private final Runnable wakeDelivery;
  private final long ackWaitMs;
  private final Map<JobId, Hold> holds = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "reply-holds");
    t.setDaemon(true);
    return t;
  });

  /** One job's held events. Guarded by itself. */
  private static final class Hold {
    final String owner;
    final List<JobEvent> events = new ArrayList<>();
    final CompletableFuture<List<JobEvent>> answer = new CompletableFuture<>();
    /** Events up to this seq are the answer's: delivery leaves them alone. All while it is held. */
    volatile long carriedUpTo = Long.MAX_VALUE;

    Hold(String owner) {
      this.owner = owner;
    }

    synchronized void answerNow() {
      answer.complete(List.copyOf(events));
    }
  }

  ReplyHolds(Store store, Runnable wakeDelivery) {
    this(store, wakeDelivery, ACK_WAIT_MS);
  }

  ReplyHolds(Store store, Runnable wakeDelivery, long ackWaitMs) {
    this.store = store;
    this.wakeDelivery = wakeDelivery;
    this.ackWaitMs = ackWaitMs;
  }

  /** Starts holding the job's events for its owner; call before its first event is stored. */
  void hold(JobId job, String owner) {
    holds.put(job, new Hold(owner));
  }

  /**
   * A committed event (store listener, writer thread): gathered when its job's answer is held, and
   * the wait ends when it is terminal. True when gathered: delivery has nothing to do for it.
   */
  boolean stored(JobEvent event) {
    Hold h = holds.get(event.jobId());
    if (h == null) {
      return false;
    }
    synchronized (h) {
      if (h.answer.isDone()) {
        return false;
      }
      h.events.add(event);
      if (terminal(event) || h.events.size() >= JobEvents.MAX) {
        h.answerNow();
      }
      return true;
    }
  }

  /**
   * The job's events so far, once it has ended (or held {@link JobEvents#MAX} events), or after
   * {@code waitMs} (at most {@link #MAX_WAIT_MS}) with those stored by then. Completes on the
   * writer or timer thread: continue elsewhere.
   */
  CompletableFuture<List<JobEvent>> answer(JobId job, long waitMs) {
    Hold h = holds.get(job);
    if (h == null) {
      return CompletableFuture.completedFuture(List.of());
    }
    if (!h.answer.isDone()) {
      try {
        var timeout = timer.schedule(h::answerNow, Math.min(waitMs, MAX_WAIT_MS), TimeUnit.MILLISECONDS);
        h.answer.whenComplete((events, e) -> timeout.cancel(false));
      } catch (RejectedExecutionException closed) {
        h.answerNow();
      }
    }
    return h.answer;
  }

  /**
   * The answer went out carrying the job's events up to {@code seq}: later ones go through delivery
   * at once, these once {@link #ACK_WAIT_MS} has passed without their acknowledgement.
   */
  void carried(JobId job, long seq) {
    Hold h = holds.get(job);
    if (h == null) {
      return;
    }
    h.carriedUpTo = seq;
    wakeDelivery.run();
    try {
      timer.schedule(() -> release(job, h), ackWaitMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      release(job, h);
    }
  }

  /** The job's answer could not be made or sent: its events go through delivery. */
  void release(JobId job) {
    Hold h = holds.get(job);
    if (h != null) {
      release(job, h);
    }
  }

  private void release(JobId job, Hold h) {
    if (holds.remove(job, h)) {
      wakeDelivery.run();
    }
  }

  /** Whether delivery must leave this outbox entry alone for now. */
  boolean holds(OutboxEntry entry) {
    Hold h = holds.get(entry.event().jobId());
    return h != null && entry.event().seq() <= h.carriedUpTo;
  }

  /**
   * The submitter's acknowledgement of events an answer carried: those it names, of jobs it owns,
   * are stored as delivered and the hold ends. Acks of anything else are ignored (delivery's own
   * acks come as answers to its sends, never here).
   */
  void acknowledged(String ackerHex, List<EventAck> acks) {
    Map<JobId, Set<Long>> seqs = new java.util.HashMap<>();
    for (EventAck a : acks) {
      if (JobId.isValid(a.jobId())) {
        seqs.computeIfAbsent(new JobId(a.jobId()), k -> new HashSet<>()).add(a.seq());
      }
    }
    for (Map.Entry<JobId, Set<Long>> job : seqs.entrySet()) {
      Hold h = holds.get(job.getKey());
      if (h == null || !h.owner.equals(ackerHex) || !h.answer.isDone()) {
        continue;
      }
      List<Long> eventIds = new ArrayList<>();
      for (JobEvent e : h.answer.join()) {
        if (e.seq() <= h.carriedUpTo && job.getValue().contains(e.seq())) {
          eventIds.add(e.id());
        }
      }
      // released once stored, so that no delivery round sends them in between
      store.markEventsDelivered(eventIds).whenComplete((v, e) -> release(job.getKey(), h));
    }
  }

  /** Jobs held now (metrics, tests). */
  int size() {
    return holds.size();
  }

  private static boolean terminal(JobEvent event) {
    if (!"state".equals(event.type())) {
      return false;
    }
    Object state = EventDelivery.toWire(event).data().get("state");
    try {
      return state instanceof String s && JobState.valueOf(s).isTerminal();
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

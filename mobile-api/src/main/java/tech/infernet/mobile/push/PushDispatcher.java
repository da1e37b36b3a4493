package tech.infernet.mobile.push;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.mobile.events.StoredEvent;

/**
 * Live first, then push. For each committed event: a phone with a live channel gets
 * {@code ackTimeout} to acknowledge it there (MQTT PUBACK, or {@code POST /v1/acks} after SSE);
 * if it does, no push; if not, or if it has no live channel, every registered token gets a data
 * push. Per-token outcomes follow FCM's contract: dead tokens are dropped, invalid requests logged
 * once, quota and server errors retried with exponential backoff and jitter but never sooner than
 * Retry-After, third-party auth errors raise an operator alert.
 */
public final class PushDispatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PushDispatcher.class.getName());

  /** Tuning. */
  public record Options(Duration ackTimeout, int maxAttempts, Duration baseBackoff, Duration maxBackoff) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(10), 5, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }
  }

  /** Counters since start. */
  public record Stats(long pushed, long suppressed, long droppedTokens, long invalid, long retried,
      long failed, long operatorAlerts) {}

  private final PushTokens tokens;
  private final PushSender sender;
  private final LiveChannels live;
  private final Options options;
  private final Consumer<String> operatorAlert;
  private final ScheduledExecutorService timer;
  private final Map<String, ConcurrentNavigableMap<Long, Future<?>>> awaitingAck = new ConcurrentHashMap<>();
  private final AtomicLong pushed = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong alerts = new AtomicLong();

  public PushDispatcher(PushTokens tokens, PushSender sender, LiveChannels live, Options options,
      Consumer<String> operatorAlert) {
    this.tokens = tokens;
    this.sender = sender;
    this.live = live;
    this.options = options;
    this.operatorAlert = operatorAlert;
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "mobile-push");
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
  }

  /** An event was committed: deliver live first, push otherwise. Returns at once. */
  public void onEvent(StoredEvent e) {
    PushMessage m = new PushMessage(e.jobId(), e.status(), e.eventId(), e.terminal());
    if (live.isLive(e.keyId())) {
      ConcurrentNavigableMap<Long, Future<?>> pending =
          awaitingAck.computeIfAbsent(e.keyId(), k -> new ConcurrentSkipListMap<>());
      pending.put(e.eventId(), timer.schedule(() -> {
        if (pending.remove(e.eventId()) != null) {
          pushToAll(e.keyId(), m);
        }
      }, options.ackTimeout().toMillis(), TimeUnit.MILLISECONDS));
    } else {
      timer.execute(() -> pushToAll(e.keyId(), m));
    }
  }

  /** The phone acknowledged event {@code eventId} on a live channel: no push for it. */
  public void acknowledged(String keyId, long eventId) {
    ConcurrentNavigableMap<Long, Future<?>> pending = awaitingAck.get(keyId);
    if (pending == null) {
      return;
    }
    Future<?> f = pending.remove(eventId);
    if (f != null) {
      f.cancel(false);
      suppressed.incrementAndGet();
    }
    awaitingAck.computeIfPresent(keyId, (k, v) -> v.isEmpty() ? null : v);
  }

  public Stats stats() {
    return new Stats(pushed.get(), suppressed.get(), dropped.get(), invalid.get(), retried.get(), failed.get(),
        alerts.get());
  }

  private void pushToAll(String keyId, PushMessage m) {
    List<String> list;
    try {
      list = tokens.of(keyId).stream().map(PushTokens.Registration::token).toList();
    } catch (RuntimeException x) {
      LOG.log(Level.WARNING, "push: cannot read tokens", x);
      return;
    }
    if (!list.isEmpty()) {
      send(list, m, 1);
    }
  }

  private void send(List<String> list, PushMessage m, int attempt) {
    java.util.concurrent.CompletableFuture<List<PushOutcome>> f;
    try {
      f = sender.send(list, m);
    } catch (RuntimeException | Error x) {
      f = java.util.concurrent.CompletableFuture.failedFuture(x);
    }
    f.whenComplete((outcomes, t) -> {
      if (t != null) {
        LOG.log(Level.WARNING, "push sender failed", t);
        failed.addAndGet(list.size());
        return;
      }
      for (PushOutcome o : outcomes) {
        handle(o, m, attempt);
      }
    });
  }

  private void handle(PushOutcome o, PushMessage m, int attempt) {
    switch (o.kind()) {
      case SENT -> pushed.incrementAndGet();
      case DROP_TOKEN -> {
        dropped.incrementAndGet();
        LOG.info(() -> "push: dropping token (" + o.detail() + ")");
        tokens.drop(o.token());
      }
      case INVALID -> {
        invalid.incrementAndGet();
        LOG.warning(() -> "push: request refused, not retried: " + o.detail());
      }
      case AUTH_ERROR -> {
        alerts.incrementAndGet();
        failed.incrementAndGet();
        String msg = "push: FCM reports THIRD_PARTY_AUTH_ERROR: the APNs or Web Push credentials of the "
            + "Firebase project are missing or invalid";
        LOG.severe(msg);
        operatorAlert.accept(msg);
      }
      case RETRY -> {
        if (attempt >= options.maxAttempts()) {
          failed.incrementAndGet();
          LOG.warning(() -> "push: giving up after " + attempt + " attempts: " + o.detail());
          return;
        }
        retried.incrementAndGet();
        long delay = backoffMs(attempt, o.retryAfterMs());
        timer.schedule(() -> send(List.of(o.token()), m, attempt + 1), delay, TimeUnit.MILLISECONDS);
      }
      case FAILED -> {
        failed.incrementAndGet();
        LOG.warning(() -> "push failed: " + o.detail());
      }
      default -> throw new IllegalStateException();
    }
  }

  /** Exponential backoff with full jitter, never below Retry-After, capped. */
  long backoffMs(int attempt, long retryAfterMs) {
    long base = options.baseBackoff().toMillis() << Math.min(attempt - 1, 20);
    long cap = options.maxBackoff().toMillis();
    long exp = Math.min(cap, base);
    long jittered = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
    return Math.max(jittered, Math.min(retryAfterMs, cap));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    sender.close();
  }
}

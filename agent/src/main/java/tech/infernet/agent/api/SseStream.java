package tech.infernet.agent.api;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import tech.infernet.agent.store.JobEvent;

/**
 * One SSE connection: subscribes to live events first, replays stored events after the client's
 * Last-Event-ID, then sends live events it has not sent yet, so nothing is missed or repeated.
 * Everything after setup runs on the connection's context.
 */
final class SseStream {
  interface Page {
    List<JobEvent> after(long from);
  }

  private final RoutingContext rc;
  private final Predicate<JobEvent> wanted;
  private final ToLongFunction<JobEvent> idOf;
  private final Page page;
  private final boolean endAtTerminal;
  private final java.util.concurrent.Callable<Boolean> ended;
  private final Context ctx;
  private final List<JobEvent> early = new ArrayList<>();
  private long last;
  private boolean replayed;
  private Runnable unsubscribe = () -> { };

  /**
   * @param ended for one job's stream: whether the job has ended (blocking store read); the stream
   *     then ends with the job's terminal event, or right after the replay when the client already
   *     has that event (Last-Event-ID at or past it). Null for the all-jobs stream, which stays open.
   */
  SseStream(RoutingContext rc, long after, Predicate<JobEvent> wanted, ToLongFunction<JobEvent> idOf,
      Page page, java.util.concurrent.Callable<Boolean> ended) {
    this.rc = rc;
    this.last = after;
    this.wanted = wanted;
    this.idOf = idOf;
    this.page = page;
    this.endAtTerminal = ended != null;
    this.ended = ended;
    this.ctx = rc.vertx().getOrCreateContext();
  }

  void start(EventHub hub) {
    HttpServerResponse r = rc.response();
    r.setChunked(true).putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache");
    r.write(": infernet-agent events\n\n");
    unsubscribe = hub.subscribe(e -> {
      if (wanted.test(e)) {
        ctx.runOnContext(v -> live(e));
      }
    });
    r.closeHandler(v -> unsubscribe.run());
    replay();
  }

  private void replay() {
    Function<Long, List<JobEvent>> read = page::after;
    ctx.executeBlocking(() -> read.apply(last), true).onComplete(ar -> {
      if (ar.failed()) {
        end();
        return;
      }
      List<JobEvent> batch = ar.result();
      for (JobEvent e : batch) {
        if (!send(e)) {
          return;
        }
      }
      if (batch.size() == 500) {
        replay();
        return;
      }
      replayed = true;
      for (JobEvent e : early) {
        if (!send(e)) {
          return;
        }
      }
      early.clear();
      if (endAtTerminal) {
        // Subscribed before the replay, so a terminal event written since is on its way; but one
        // the client already had (at or before Last-Event-ID) will never come again: end now.
        // The ended-check may see the terminal state before its live event reaches this context,
        // so read once more after it and send what is new before ending.
        long from = last;
        ctx.executeBlocking(() -> ended.call() ? page.after(from) : null, true).onComplete(done -> {
          if (done.failed()) {
            end();
          } else if (done.result() != null) {
            for (JobEvent e : done.result()) {
              if (!send(e)) {
                return;
              }
            }
            end();
          }
        });
      }
    });
  }

  private void live(JobEvent e) {
    if (!replayed) {
      early.add(e);
    } else {
      send(e);
    }
  }

  /** Sends if new; returns false once the stream has ended. */
  private boolean send(JobEvent e) {
    HttpServerResponse r = rc.response();
    if (r.ended() || r.closed()) {
      unsubscribe.run();
      return false;
    }
    long id = idOf.applyAsLong(e);
    if (id <= last) {
      return true;
    }
    last = id;
    r.write(Views.sse(id, e));
    if (endAtTerminal && e.type().equals("state") && isTerminal(e.payload())) {
      end();
      return false;
    }
    return true;
  }

  private static boolean isTerminal(String payload) {
    return payload.matches(".*\"state\":\"(SUCCEEDED|FAILED|CANCELLED|TIMED_OUT|REJECTED)\".*");
  }

  private void end() {
    unsubscribe.run();
    if (!rc.response().ended()) {
      rc.response().end();
    }
  }
}

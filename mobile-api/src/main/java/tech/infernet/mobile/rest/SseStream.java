package tech.infernet.mobile.rest;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import tech.infernet.mobile.events.EventFanout;
import tech.infernet.mobile.events.EventLog;
import tech.infernet.mobile.events.StoredEvent;

/**
 * One SSE connection: subscribes to live events first, replays stored ones after the client's
 * position (Last-Event-ID or {@code ?since=}), then sends the live ones it has not sent, so
 * nothing is missed or repeated. A comment line every {@code heartbeatMs} keeps mobile NATs and
 * proxies from closing an idle stream. Everything after setup runs on the connection's context.
 */
final class SseStream {
  private final Vertx vertx;
  private final HttpServerResponse response;
  private final String jobId;
  private final LongFunction<List<StoredEvent>> page;
  private final Context ctx;
  private final List<StoredEvent> early = new ArrayList<>();
  private long last;
  private boolean replayed;
  private boolean ended;
  private Runnable unsubscribe = () -> { };
  private Runnable liveClose = () -> { };
  private long heartbeat = -1;

  SseStream(Vertx vertx, HttpServerResponse response, String jobId, long after,
      LongFunction<List<StoredEvent>> page) {
    this.vertx = vertx;
    this.response = response;
    this.jobId = jobId;
    this.last = after;
    this.page = page;
    this.ctx = vertx.getOrCreateContext();
  }

  void start(EventFanout fanout, String keyId, Runnable liveClose, long heartbeatMs) {
    this.liveClose = liveClose;
    response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache").putHeader("x-accel-buffering", "no");
    response.write(": infernet relay events\nretry: 5000\n\n");
    unsubscribe = fanout.subscribe(keyId, e -> {
      if (jobId == null || jobId.equals(e.jobId())) {
        ctx.runOnContext(v -> live(e));
      }
    });
    response.closeHandler(v -> end());
    response.exceptionHandler(t -> end());
    heartbeat = vertx.setPeriodic(heartbeatMs, id -> {
      if (!ended) {
        response.write(": keepalive\n\n");
      }
    });
    replay();
  }

  private void replay() {
    long from = last;
    ctx.<List<StoredEvent>>executeBlocking(() -> page.apply(from), false).onComplete(ar -> {
      if (ended) {
        return;
      }
      if (ar.failed()) {
        end();
        return;
      }
      List<StoredEvent> batch = ar.result();
      for (StoredEvent e : batch) {
        send(e);
      }
      if (batch.size() == EventLog.MAX_PAGE) {
        replay();
        return;
      }
      replayed = true;
      for (StoredEvent e : early) {
        send(e);
      }
      early.clear();
    });
  }

  private void live(StoredEvent e) {
    if (ended) {
      return;
    }
    if (!replayed) {
      early.add(e);
    } else {
      send(e);
    }
  }

  private void send(StoredEvent e) {
    if (ended || e.eventId() <= last) {
      return;
    }
    if (response.writeQueueFull()) {
      // A client this far behind reconnects with Last-Event-ID and replays from the log.
      end();
      return;
    }
    last = e.eventId();
    response.write("id: " + e.eventId() + "\nevent: job\ndata: " + e.toJson() + "\n\n");
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    unsubscribe.run();
    liveClose.run();
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    if (!response.ended() && !response.closed()) {
      response.end();
    }
  }
}

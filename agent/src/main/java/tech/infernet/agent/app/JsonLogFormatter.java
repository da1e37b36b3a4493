package tech.infernet.agent.app;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** java.util.logging records as one JSON object per line. */
public final class JsonLogFormatter extends Formatter {
  @Override
  public String format(LogRecord r) {
    JsonObject o = new JsonObject()
        .put("time", Instant.ofEpochMilli(r.getMillis()).toString())
        .put("level", r.getLevel().getName())
        .put("logger", r.getLoggerName())
        .put("thread", Thread.currentThread().getName())
        .put("message", formatMessage(r));
    if (r.getThrown() != null) {
      StringWriter w = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(w));
      o.put("error", w.toString());
    }
    return o.encode() + System.lineSeparator();
  }

  /** Replaces the root handlers with one that writes JSON lines to stderr. */
  public static void install(Level level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler h = new ConsoleHandler();
    h.setFormatter(new JsonLogFormatter());
    h.setLevel(level);
    root.addHandler(h);
    root.setLevel(level);
  }
}

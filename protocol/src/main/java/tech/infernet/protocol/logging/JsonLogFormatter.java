package tech.infernet.protocol.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import tech.infernet.protocol.internal.Json;

/**
 * java.util.logging records as one JSON object per line ({@code time, level, logger, thread,
 * message[, error]}): the log format of every Infernet process (agent, relay), so one parser
 * reads them all.
 */
public final class JsonLogFormatter extends Formatter {
  private static final Pattern LONE_SURROGATE =
      Pattern.compile("[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]");

  @Override
  public String format(LogRecord r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("time", Instant.ofEpochMilli(r.getMillis()).toString());
    o.put("level", r.getLevel().getName());
    o.put("logger", String.valueOf(r.getLoggerName()));
    o.put("thread", Thread.currentThread().getName());
    o.put("message", String.valueOf(formatMessage(r)));
    if (r.getThrown() != null) {
      StringWriter w = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(w));
      o.put("error", w.toString());
    }
    // A lone surrogate is not text: strict JSON readers refuse the whole line for it.
    o.replaceAll((k, v) -> LONE_SURROGATE.matcher(v.toString()).replaceAll("?"));
    return new String(Json.write(o), StandardCharsets.UTF_8) + System.lineSeparator();
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

package tech.infernet.protocol.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import tech.infernet.protocol.internal.Json;

class JsonLogFormatterTest {
  @Test
  void eachRecordIsOneParseableJsonLineEvenWithQuotesNewlinesAndBrokenText() throws Exception {
    LogRecord r = new LogRecord(Level.WARNING, "a \"quoted\"\nline \uD800 end");
    r.setLoggerName("tech.infernet.x");
    r.setThrown(new IllegalStateException("boom"));
    String line = new JsonLogFormatter().format(r);
    assertEquals(1, line.strip().lines().count(), line);
    @SuppressWarnings("unchecked")
    Map<String, Object> o = (Map<String, Object>) Json.parse(line.strip(), 4);
    assertEquals("WARNING", o.get("level"));
    assertEquals("tech.infernet.x", o.get("logger"));
    assertTrue(((String) o.get("message")).startsWith("a \"quoted\"\nline "), line);
    assertTrue(((String) o.get("error")).contains("boom"));
  }
}

package tech.infernet.agent.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal JSON tree reader/writer over jackson-core's streaming API (no Vert.x, no databind).
 * Objects become {@code LinkedHashMap}, arrays {@code ArrayList}, numbers {@code Long} or
 * {@code Double}. Duplicate keys are an error.
 */
public final class Json {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final JsonFactory LENIENT = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build()
      .enable(JsonParser.Feature.ALLOW_COMMENTS);

  private Json() {}

  /** Parses strict JSON; {@link SpecException} with MALFORMED_JSON, DUPLICATE_FIELD or TOO_DEEP. */
  public static Object parse(String text, int maxDepth) throws SpecException {
    return parse(FACTORY, text, maxDepth);
  }

  /** Parses JSON that may contain {@code //} and {@code /* *\/} comments (config files). */
  public static Object parseWithComments(String text, int maxDepth) throws SpecException {
    return parse(LENIENT, text, maxDepth);
  }

  private static Object parse(JsonFactory f, String text, int maxDepth) throws SpecException {
    try (JsonParser p = f.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new SpecException(SpecError.MALFORMED_JSON, "", "empty document");
      }
      Object v = read(p, t, 0, maxDepth);
      if (p.nextToken() != null) {
        throw new SpecException(SpecError.MALFORMED_JSON, "", "trailing content after the JSON value");
      }
      return v;
    } catch (JsonParseException e) {
      String msg = e.getOriginalMessage();
      if (msg != null && msg.startsWith("Duplicate field")) {
        throw new SpecException(SpecError.DUPLICATE_FIELD, "", msg);
      }
      throw new SpecException(SpecError.MALFORMED_JSON, "",
          msg + " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw new SpecException(SpecError.MALFORMED_JSON, "", String.valueOf(e.getMessage()));
    }
  }

  private static Object read(JsonParser p, JsonToken t, int depth, int maxDepth)
      throws IOException, SpecException {
    switch (t) {
      case START_OBJECT: {
        if (depth >= maxDepth) {
          throw new SpecException(SpecError.TOO_DEEP, "", "JSON nested deeper than " + maxDepth);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          m.put(name, read(p, p.nextToken(), depth + 1, maxDepth));
        }
        return m;
      }
      case START_ARRAY: {
        if (depth >= maxDepth) {
          throw new SpecException(SpecError.TOO_DEEP, "", "JSON nested deeper than " + maxDepth);
        }
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(read(p, e, depth + 1, maxDepth));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        try {
          return p.getLongValue();
        } catch (IOException tooBig) {
          return p.getDoubleValue();
        }
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new SpecException(SpecError.MALFORMED_JSON, "", "unexpected token " + t);
    }
  }

  /** Writes a tree of Map/List/String/Number/Boolean/null as compact JSON. */
  public static String write(Object tree) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      write(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer || v instanceof Long) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      g.writeString(v.toString());
    }
  }
}

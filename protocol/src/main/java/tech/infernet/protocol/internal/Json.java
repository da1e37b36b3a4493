package tech.infernet.protocol.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON trees over jackson-core's streaming API, for this module's own use (not a public
 * API). Objects become {@code LinkedHashMap}, arrays {@code ArrayList}, integers {@code Long} (or
 * {@code BigInteger} past 64 bits), other numbers {@code Double}. Duplicate keys, trailing
 * content, comments and nesting deeper than asked are errors; every failure is a {@link
 * JsonException}, never another exception.
 */
public final class Json {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(64).maxNumberLength(64).maxStringLength(64 << 20).build())
      .build();

  /** Why a document was refused. */
  public enum Problem { MALFORMED, DUPLICATE_KEY, TOO_DEEP }

  /** A refused document. */
  public static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Problem problem;

    JsonException(Problem problem, String message) {
      super(message);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  private Json() {}

  /** Parses one JSON value from UTF-8 bytes. */
  public static Object parse(byte[] utf8, int maxDepth) throws JsonException {
    try (JsonParser p = FACTORY.createParser(utf8)) {
      return parse(p, maxDepth);
    } catch (JsonException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw malformed(e);
    }
  }

  /** Parses one JSON value from text. */
  public static Object parse(String text, int maxDepth) throws JsonException {
    try (JsonParser p = FACTORY.createParser(text)) {
      return parse(p, maxDepth);
    } catch (JsonException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw malformed(e);
    }
  }

  private static JsonException malformed(Exception e) {
    String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (msg != null && msg.startsWith("Duplicate field")) {
      return new JsonException(Problem.DUPLICATE_KEY, msg);
    }
    if (msg != null && msg.contains("nesting depth")) {
      return new JsonException(Problem.TOO_DEEP, msg);
    }
    return new JsonException(Problem.MALFORMED, String.valueOf(msg));
  }

  private static Object parse(JsonParser p, int maxDepth) throws IOException, JsonException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw new JsonException(Problem.MALFORMED, "empty document");
    }
    Object v = read(p, t, 0, maxDepth);
    if (p.nextToken() != null) {
      throw new JsonException(Problem.MALFORMED, "trailing content after the JSON value");
    }
    return v;
  }

  private static Object read(JsonParser p, JsonToken t, int depth, int maxDepth)
      throws IOException, JsonException {
    switch (t) {
      case START_OBJECT: {
        if (depth >= maxDepth) {
          throw new JsonException(Problem.TOO_DEEP, "JSON nested deeper than " + maxDepth);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = wellFormed(p.currentName());
          m.put(name, read(p, p.nextToken(), depth + 1, maxDepth));
        }
        return m;
      }
      case START_ARRAY: {
        if (depth >= maxDepth) {
          throw new JsonException(Problem.TOO_DEEP, "JSON nested deeper than " + maxDepth);
        }
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(read(p, e, depth + 1, maxDepth));
        }
        return l;
      }
      case VALUE_STRING:
        return wellFormed(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
            : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        double d = p.getDoubleValue();
        if (Double.isInfinite(d)) {
          throw new JsonException(Problem.MALFORMED, "number out of range");
        }
        return d;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonException(Problem.MALFORMED, "unexpected token " + t);
    }
  }

  /** Refuses strings with unpaired surrogates (possible through backslash-u escapes): they have no UTF-8 form. */
  private static String wellFormed(String s) throws JsonException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new JsonException(Problem.MALFORMED, "unpaired surrogate in a string");
      }
    }
    return s;
  }

  /** Writes a tree of Map/List/String/Number/Boolean/null as compact UTF-8 JSON, keys in map order. */
  public static byte[] write(Object tree) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
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
    } else if (v instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (v instanceof BigDecimal b) {
      g.writeNumber(b);
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass());
    }
  }
}

package tech.infernet.protocol.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tech.infernet.protocol.internal.Json;

/** Field readers shared by the spec parser and the Nosana importer; every failure names its field. */
final class Check {
  static final int MAX_DEPTH = 32;
  static final int MAX_COMMAND = 256;
  static final int MAX_STRING = 8192;
  static final int MAX_ENV = 64;

  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN =
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?";
  static final Pattern IMAGE = Pattern.compile(
      "(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*"
          + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private Check() {}

  static Object parse(String text, int maxChars) throws SpecException {
    if (text == null || text.isEmpty()) {
      throw new SpecException(SpecError.MALFORMED_JSON, "", "empty document");
    }
    if (text.length() > maxChars) {
      throw new SpecException(SpecError.TOO_LARGE, "", "larger than " + maxChars + " characters");
    }
    try {
      return Json.parse(text, MAX_DEPTH);
    } catch (Json.JsonException e) {
      SpecError err = switch (e.problem()) {
        case DUPLICATE_KEY -> SpecError.DUPLICATE_FIELD;
        case TOO_DEEP -> SpecError.TOO_DEEP;
        case MALFORMED -> SpecError.MALFORMED_JSON;
      };
      throw new SpecException(err, "", e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v, String field) throws SpecException {
    if (!(v instanceof Map)) {
      throw new SpecException(SpecError.WRONG_TYPE, field, (field.isEmpty() ? "the document" : field) + " must be a JSON object");
    }
    return (Map<String, Object>) v;
  }

  static void known(Map<String, Object> m, Set<String> allowed, String prefix) throws SpecException {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new SpecException(SpecError.UNKNOWN_FIELD, prefix + printable(k), "unknown field '" + prefix + printable(k) + "'");
      }
    }
  }

  static String string(Object v, String field, boolean required) throws SpecException {
    if (v == null) {
      if (required) {
        throw new SpecException(SpecError.MISSING_FIELD, field, field + " is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw new SpecException(SpecError.WRONG_TYPE, field, field + " must be a string");
    }
    if (s.length() > MAX_STRING) {
      throw new SpecException(SpecError.TOO_MANY_ITEMS, field, field + " longer than " + MAX_STRING + " characters");
    }
    return s;
  }

  static boolean bool(Object v, String field) throws SpecException {
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw new SpecException(SpecError.WRONG_TYPE, field, field + " must be true or false");
    }
    return b;
  }

  static long integer(Object v, String field, long min, long max) throws SpecException {
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Long n)) {
      throw new SpecException(SpecError.WRONG_TYPE, field, field + " must be an integer");
    }
    if (n < min || n > max) {
      throw new SpecException(SpecError.BAD_VALUE, field, field + " must be in " + min + ".." + max);
    }
    return n;
  }

  static String image(Object v, String field) throws SpecException {
    String s = string(v, field, true);
    if (s.length() > 255 || !IMAGE.matcher(s).matches()) {
      throw new SpecException(SpecError.BAD_IMAGE_NAME, field, "not a valid image reference (name[:tag][@sha256:digest])");
    }
    return s;
  }

  static List<String> argv(Object v, String field) throws SpecException {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw new SpecException(SpecError.COMMAND_NOT_ARGV, field, field + " must be an array of strings (argv); it is never run through a host shell");
    }
    if (l.size() > MAX_COMMAND) {
      throw new SpecException(SpecError.TOO_MANY_ITEMS, field, "more than " + MAX_COMMAND + " elements");
    }
    List<String> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      String f = field + "[" + i + "]";
      if (!(l.get(i) instanceof String s)) {
        throw new SpecException(SpecError.COMMAND_NOT_ARGV, f, "every element must be a string");
      }
      if (s.length() > MAX_STRING) {
        throw new SpecException(SpecError.TOO_MANY_ITEMS, f, "longer than " + MAX_STRING + " characters");
      }
      text(s, f, true);
      out.add(s);
    }
    return out;
  }

  static Map<String, String> env(Object v, String field) throws SpecException {
    if (v == null) {
      return Map.of();
    }
    Map<String, Object> m = object(v, field);
    if (m.size() > MAX_ENV) {
      throw new SpecException(SpecError.TOO_MANY_ITEMS, field, "more than " + MAX_ENV + " entries");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String f = field + "." + printable(e.getKey());
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw new SpecException(SpecError.BAD_ENV_NAME, f, "names must match " + ENV_NAME.pattern());
      }
      String val = string(e.getValue(), f, true);
      text(val, f, false);
      out.put(e.getKey(), val);
    }
    return out;
  }

  /** Refuses NUL, C0 controls (tab and, where allowed, newline excepted), DEL and C1 controls. */
  static void text(String s, String field, boolean allowNewline) throws SpecException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F) || c == '\t' || (allowNewline && c == '\n');
      if (!ok) {
        throw new SpecException(SpecError.FORBIDDEN_CHARACTER, field,
            String.format(Locale.ROOT, "forbidden character U+%04X at index %d", (int) c, i));
      }
    }
  }

  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7F ? '?' : c);
    }
    return b.toString();
  }
}

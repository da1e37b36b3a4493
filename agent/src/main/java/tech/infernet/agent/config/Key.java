package tech.infernet.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** One documented configuration key with its type, default and allowed values. */
record Key(String name, String doc, Object dflt, double min, double max, Set<String> choices) {
  enum Type { INT, NUMBER, BOOL, STRING, LIST }

  Type type() {
    if (dflt instanceof Integer || dflt instanceof Long) {
      return Type.INT;
    }
    if (dflt instanceof Double) {
      return Type.NUMBER;
    }
    if (dflt instanceof Boolean) {
      return Type.BOOL;
    }
    if (dflt instanceof List) {
      return Type.LIST;
    }
    return Type.STRING;
  }

  /** INFERNET_AGENT_ plus the dotted camelCase name in upper snake case. */
  String envName() {
    StringBuilder b = new StringBuilder("INFERNET_AGENT_");
    for (char c : name.toCharArray()) {
      if (c == '.') {
        b.append('_');
      } else if (Character.isUpperCase(c)) {
        b.append('_').append(c);
      } else {
        b.append(Character.toUpperCase(c));
      }
    }
    return b.toString();
  }

  /** Checks and converts a value from the file (JSON types) or the environment (text). */
  Object coerce(Object v, String source) throws ConfigException {
    String where = "config key '" + name + "' (" + source + ")";
    switch (type()) {
      case INT -> {
        long n;
        if (v instanceof Long || v instanceof Integer) {
          n = ((Number) v).longValue();
        } else if (v instanceof String s && s.strip().matches("-?[0-9]+")) {
          n = Long.parseLong(s.strip());
        } else {
          throw new ConfigException(where + ": must be an integer, got " + v);
        }
        if (n < min || n > max) {
          throw new ConfigException(where + ": must be between " + (long) min + " and " + (long) max + ", got " + n);
        }
        return (int) n;
      }
      case NUMBER -> {
        double d;
        if (v instanceof Number num) {
          d = num.doubleValue();
        } else {
          try {
            d = Double.parseDouble(String.valueOf(v).strip());
          } catch (NumberFormatException e) {
            throw new ConfigException(where + ": must be a number, got " + v);
          }
        }
        if (!(d >= min && d <= max)) {
          throw new ConfigException(where + ": must be between " + min + " and " + max + ", got " + d);
        }
        return d;
      }
      case BOOL -> {
        if (v instanceof Boolean b) {
          return b;
        }
        String s = String.valueOf(v).strip().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
          return Boolean.parseBoolean(s);
        }
        throw new ConfigException(where + ": must be true or false, got " + v);
      }
      case LIST -> {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
          for (Object o : l) {
            if (!(o instanceof String s)) {
              throw new ConfigException(where + ": must be a list of strings");
            }
            out.add(s);
          }
        } else if (v instanceof String s) {
          for (String part : s.split(",")) {
            if (!part.isBlank()) {
              out.add(part.strip());
            }
          }
        } else {
          throw new ConfigException(where + ": must be a list of strings");
        }
        return List.copyOf(out);
      }
      default -> {
        if (!(v instanceof String s)) {
          throw new ConfigException(where + ": must be a string, got " + v);
        }
        if (choices != null && !choices.contains(s)) {
          throw new ConfigException(where + ": must be one of " + choices + ", got \"" + s + "\"");
        }
        return s;
      }
    }
  }
}

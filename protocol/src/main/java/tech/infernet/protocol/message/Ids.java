package tech.infernet.protocol.message;

import java.util.regex.Pattern;

/** Validation of the identifier-like strings in payloads; failures name the field. */
final class Ids {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern STATE = Pattern.compile("[a-z][a-z_]{0,31}");
  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_.]{0,31}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{16,128}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private Ids() {}

  static String id(String v, String field) {
    return match(ID, v, field, "1-64 characters of A-Z a-z 0-9 . _ : -");
  }

  static boolean isId(String v) {
    return ID.matcher(v).matches();
  }

  static String state(String v, String field) {
    return match(STATE, v, field, "a lower-case state name");
  }

  static String kind(String v, String field) {
    return match(KIND, v, field, "a lower-case event kind");
  }

  static String secret(String v, String field) {
    return match(SECRET, v, field, "16-128 base64url characters");
  }

  static String sha256(String v, String field) {
    return match(SHA256, v, field, "a SHA-256, 64 lower-case hex digits");
  }

  static String text(String v, String field, int max) {
    if (v == null) {
      throw new IllegalArgumentException(field + ": required");
    }
    if (v.length() > max) {
      throw new IllegalArgumentException(field + ": longer than " + max + " characters");
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' || c == 0x7F) {
        throw new IllegalArgumentException(field + ": control character");
      }
    }
    return v;
  }

  /** Makes any text fit {@link #text}: controls become '?', long text is cut. */
  static String clean(String v, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length() && b.length() < max; i++) {
      char c = v.charAt(i);
      b.append(c < 0x20 && c != '\t' && c != '\n' || c == 0x7F ? '?' : c);
    }
    return b.toString();
  }

  static long nonNegative(long v, String field) {
    if (v < 0) {
      throw new IllegalArgumentException(field + ": must not be negative");
    }
    return v;
  }

  private static String match(Pattern p, String v, String field, String what) {
    if (v == null) {
      throw new IllegalArgumentException(field + ": required");
    }
    if (!p.matcher(v).matches()) {
      throw new IllegalArgumentException(field + ": must be " + what);
    }
    return v;
  }
}

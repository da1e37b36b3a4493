package tech.infernet.protocol.internal;

import java.util.Base64;

/** Canonical unpadded base64url (RFC 4648 section 5): one spelling per byte string, nothing else accepted. */
public final class Base64Url {
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();

  private Base64Url() {}

  public static String encode(byte[] b) {
    return ENC.encodeToString(b);
  }

  /** Characters needed for {@code n} bytes. */
  public static int encodedLength(int n) {
    return (int) ((4L * n + 2) / 3);
  }

  /**
   * Decodes {@code s}, or returns null when it is not canonical unpadded base64url: padding,
   * characters outside {@code A-Z a-z 0-9 - _}, a length of 1 mod 4, or non-zero unused bits.
   */
  public static byte[] decode(String s) {
    if (s.length() % 4 == 1) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
      if (!ok) {
        return null;
      }
    }
    byte[] b;
    try {
      b = DEC.decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return ENC.encodeToString(b).equals(s) ? b : null;
  }
}

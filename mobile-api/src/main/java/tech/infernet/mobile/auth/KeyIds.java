package tech.infernet.mobile.auth;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import tech.infernet.protocol.internal.Base64Url;

/**
 * A phone's key id: its 32-byte Ed25519 public key in canonical unpadded base64url (43
 * characters). It is the MQTT username and the {@code {keyId}} of its topics; base64url has no
 * {@code / + #}, so it is always one topic level.
 */
public final class KeyIds {
  public static final int LENGTH = 43;

  private KeyIds() {}

  public static String of(byte[] publicKey) {
    if (publicKey == null || publicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    return Base64Url.encode(publicKey);
  }

  /** The public key of a key id, or null when it is not a canonical id of a valid Ed25519 key. */
  public static byte[] parse(String keyId) {
    if (keyId == null || keyId.length() != LENGTH) {
      return null;
    }
    byte[] pk = Base64Url.decode(keyId);
    return pk != null && pk.length == 32 && Ed25519.validatePublicKeyFull(pk, 0) ? pk : null;
  }

  /** True when {@code s} has the shape of a key id (no curve check): cheap, for routing. */
  public static boolean looksLike(String s) {
    if (s == null || s.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}

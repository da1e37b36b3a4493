package tech.infernet.protocol;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The primitives of the envelope, on BouncyCastle's low-level classes: Ed25519 (RFC 8032), the
 * Ed25519 -> X25519 key maps of libsodium ({@code crypto_sign_ed25519_pk_to_curve25519},
 * {@code crypto_sign_ed25519_sk_to_curve25519}) and NaCl's {@code crypto_box}
 * (X25519, HSalsa20, XSalsa20-Poly1305) in its "easy" layout: 16-byte tag, then ciphertext.
 */
final class Crypto {
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 24;
  static final int SIGNATURE_BYTES = 64;
  static final int TAG_BYTES = 16;

  private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  private static final byte[] ZERO16 = new byte[16];

  private Crypto() {}

  /** Full validation: canonical encoding, on the curve, not of small order, in the prime-order group. */
  static boolean validPublicKey(byte[] pk) {
    return pk != null && pk.length == KEY_BYTES && Ed25519.validatePublicKeyFull(pk, 0);
  }

  static byte[] sign(byte[] seed, byte[] publicKey, byte[] message) {
    byte[] sig = new byte[SIGNATURE_BYTES];
    Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  /** Strict RFC 8032 verification (S must be below the group order). */
  static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    return signature.length == SIGNATURE_BYTES
        && Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }

  /** u = (1 + y) / (1 - y) mod p, from the Edwards y of a validated public key. */
  static byte[] edPublicToX25519(byte[] edPublicKey) {
    byte[] le = edPublicKey.clone();
    le[31] &= 0x7F;
    BigInteger y = new BigInteger(1, reverse(le));
    BigInteger u = BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).mod(P).modInverse(P)).mod(P);
    byte[] be = u.toByteArray();
    byte[] out = new byte[KEY_BYTES];
    for (int i = 0; i < out.length && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  /** The first 32 bytes of SHA-512(seed), clamped as X25519 clamps: the Ed25519 secret scalar. */
  static byte[] edSeedToX25519(byte[] seed) {
    SHA512Digest d = new SHA512Digest();
    d.update(seed, 0, seed.length);
    byte[] h = new byte[64];
    d.doFinal(h, 0);
    byte[] sk = Arrays.copyOf(h, KEY_BYTES);
    Arrays.fill(h, (byte) 0);
    sk[0] &= (byte) 248;
    sk[31] &= 127;
    sk[31] |= 64;
    return sk;
  }

  /** crypto_box_beforenm: HSalsa20(X25519(sk, pk), 0^16); null if the shared point is all zero. */
  static byte[] boxBeforeNm(byte[] xSecret, byte[] xPublic) {
    byte[] shared = new byte[KEY_BYTES];
    if (!X25519.calculateAgreement(xSecret, 0, xPublic, 0, shared, 0)) {
      return null;
    }
    byte[] k = hsalsa20(shared, ZERO16);
    Arrays.fill(shared, (byte) 0);
    return k;
  }

  /** crypto_secretbox_easy: tag(16) || XSalsa20(k, nonce) XOR message, Poly1305 keyed by the first 32 stream bytes. */
  static byte[] secretboxSeal(byte[] key, byte[] nonce, byte[] message) {
    XSalsa20Engine x = new XSalsa20Engine();
    x.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    byte[] block0 = new byte[32];
    x.processBytes(new byte[32], 0, 32, block0, 0);
    byte[] out = new byte[TAG_BYTES + message.length];
    x.processBytes(message, 0, message.length, out, TAG_BYTES);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(block0));
    mac.update(out, TAG_BYTES, message.length);
    mac.doFinal(out, 0);
    Arrays.fill(block0, (byte) 0);
    return out;
  }

  /** crypto_secretbox_open_easy; null when the tag does not verify. */
  static byte[] secretboxOpen(byte[] key, byte[] nonce, byte[] box) {
    if (box.length < TAG_BYTES) {
      return null;
    }
    XSalsa20Engine x = new XSalsa20Engine();
    x.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
    byte[] block0 = new byte[32];
    x.processBytes(new byte[32], 0, 32, block0, 0);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(block0));
    mac.update(box, TAG_BYTES, box.length - TAG_BYTES);
    byte[] tag = new byte[TAG_BYTES];
    mac.doFinal(tag, 0);
    Arrays.fill(block0, (byte) 0);
    if (!MessageDigest.isEqual(tag, Arrays.copyOf(box, TAG_BYTES))) {
      return null;
    }
    byte[] out = new byte[box.length - TAG_BYTES];
    x.processBytes(box, TAG_BYTES, out.length, out, 0);
    return out;
  }

  /** HSalsa20 (the XSalsa20 paper, section 2): Salsa20 core without the final addition, words 0,5,10,15,6,7,8,9. */
  static byte[] hsalsa20(byte[] key, byte[] in16) {
    int[] s = new int[16];
    s[0] = 0x61707865;
    s[5] = 0x3320646e;
    s[10] = 0x79622d32;
    s[15] = 0x6b206574;
    for (int i = 0; i < 4; i++) {
      s[1 + i] = le32(key, 4 * i);
      s[11 + i] = le32(key, 16 + 4 * i);
      s[6 + i] = le32(in16, 4 * i);
    }
    int[] x = new int[16];
    Salsa20Engine.salsaCore(20, s, x);
    int[] idx = {0, 5, 10, 15, 6, 7, 8, 9};
    byte[] out = new byte[32];
    for (int i = 0; i < idx.length; i++) {
      int w = x[idx[i]] - s[idx[i]];
      out[4 * i] = (byte) w;
      out[4 * i + 1] = (byte) (w >>> 8);
      out[4 * i + 2] = (byte) (w >>> 16);
      out[4 * i + 3] = (byte) (w >>> 24);
    }
    return out;
  }

  private static int le32(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
  }

  private static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }
}

package tech.infernet.protocol;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 identity: a 32-byte seed (RFC 8032 private key) and its 32-byte public key. The
 * seed is never printed; {@link #toString()} shows only the public key.
 */
public final class KeyPair {
  private final byte[] seed;
  private final byte[] publicKey;

  private KeyPair(byte[] seed) {
    this.seed = seed.clone();
    this.publicKey = new byte[32];
    Ed25519.generatePublicKey(this.seed, 0, publicKey, 0);
  }

  /** The key pair of a 32-byte seed (the form libsodium calls a seed, tweetnacl {@code fromSeed}). */
  public static KeyPair fromSeed(byte[] seed) {
    if (seed == null || seed.length != 32) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    return new KeyPair(seed);
  }

  public static KeyPair generate(SecureRandom random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    KeyPair k = new KeyPair(seed);
    Arrays.fill(seed, (byte) 0);
    return k;
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** A copy of the seed; callers must not log it. */
  public byte[] seed() {
    return seed.clone();
  }

  byte[] seedRef() {
    return seed;
  }

  byte[] publicKeyRef() {
    return publicKey;
  }

  @Override
  public String toString() {
    return "KeyPair[" + HexFormat.of().formatHex(publicKey) + "]";
  }
}

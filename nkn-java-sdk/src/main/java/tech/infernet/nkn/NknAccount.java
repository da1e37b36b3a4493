package tech.infernet.nkn;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An NKN identity: a 32-byte Ed25519 seed and its public key. The address of a client is
 * {@code identifier.publicKeyHex}, or the bare public key hex without an identifier.
 *
 * <p>The seed is secret: {@link #toString()} never shows it.
 */
public final class NknAccount {
  public static final int SEED_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] seed;
  private final byte[] publicKey;

  private NknAccount(byte[] seed) {
    this.seed = seed.clone();
    this.publicKey = NativeNkn.publicKey(this.seed);
  }

  /** A new identity from a strong random seed. */
  public static NknAccount generate() {
    byte[] seed = new byte[SEED_BYTES];
    RANDOM.nextBytes(seed);
    return new NknAccount(seed);
  }

  public static NknAccount fromSeed(byte[] seed) {
    if (seed == null || seed.length != SEED_BYTES) {
      throw new NknException(NknException.Code.INVALID_ARGUMENT,
          "an NKN seed is " + SEED_BYTES + " bytes, got " + (seed == null ? "none" : seed.length));
    }
    return new NknAccount(seed);
  }

  public byte[] seed() {
    return seed.clone();
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String publicKeyHex() {
    return HexFormat.of().formatHex(publicKey);
  }

  /** The NKN address of a client of this account with that identifier (empty for none). */
  public String address(String identifier) {
    return identifier == null || identifier.isEmpty()
        ? publicKeyHex()
        : identifier + "." + publicKeyHex();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NknAccount account && Arrays.equals(publicKey, account.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "NknAccount[" + publicKeyHex() + "]";
  }
}

package tech.infernet.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A signed, sealed message: who sends it, to whom, what type, when, a random nonce, the payload
 * sealed to the recipient (NaCl {@code crypto_box}) and the sender's Ed25519 signature over the
 * {@linkplain #signedBytes() signed bytes}. Immutable; accessors return copies.
 *
 * <p>Anyone can {@linkplain #verifySignature() check the signature} (a carrier does, before it
 * forwards); only the recipient can {@linkplain Receiver open} the payload.
 */
public final class Envelope {
  /** The only version this code writes and reads. */
  public static final int VERSION = 1;
  /** Prefix of the signed bytes, so an envelope signature cannot be taken for any other signature. */
  static final byte[] DOMAIN = "infernet/envelope/v1\0".getBytes(StandardCharsets.US_ASCII);
  /** Bytes before the ciphertext in the binary form: version, type, keys, timestamp, nonce, length. */
  static final int HEADER_BYTES = 1 + 1 + 32 + 32 + 8 + 24 + 4;
  /** Timestamps are below 2^53 so that JavaScript numbers hold them exactly. */
  public static final long MAX_TIMESTAMP = (1L << 53) - 1;

  private final MessageType type;
  private final byte[] sender;
  private final byte[] recipient;
  private final long timestampMs;
  private final byte[] nonce;
  private final byte[] ciphertext;
  private final byte[] signature;

  Envelope(MessageType type, byte[] sender, byte[] recipient, long timestampMs, byte[] nonce,
      byte[] ciphertext, byte[] signature) {
    this.type = Objects.requireNonNull(type);
    this.sender = check(sender, 32, "sender");
    this.recipient = check(recipient, 32, "recipient");
    if (timestampMs < 0 || timestampMs > MAX_TIMESTAMP) {
      throw new IllegalArgumentException("timestamp outside 0..2^53-1");
    }
    this.timestampMs = timestampMs;
    this.nonce = check(nonce, Crypto.NONCE_BYTES, "nonce");
    this.ciphertext = Objects.requireNonNull(ciphertext);
    if (ciphertext.length < Crypto.TAG_BYTES) {
      throw new IllegalArgumentException("ciphertext shorter than its tag");
    }
    this.signature = check(signature, Crypto.SIGNATURE_BYTES, "signature");
  }

  /**
   * Seals {@code plaintext} from {@code sender} to {@code recipient} with the given timestamp and
   * nonce, and signs the result. The nonce must be fresh random bytes for every envelope (use
   * {@link Sealer}, which draws it); fixed values are for test vectors.
   */
  public static Envelope seal(KeyPair sender, byte[] recipient, MessageType type, long timestampMs,
      byte[] nonce, byte[] plaintext) {
    if (!Crypto.validPublicKey(recipient)) {
      throw new IllegalArgumentException("recipient is not a valid Ed25519 public key");
    }
    byte[] xsk = Crypto.edSeedToX25519(sender.seedRef());
    byte[] k = Crypto.boxBeforeNm(xsk, Crypto.edPublicToX25519(recipient));
    Arrays.fill(xsk, (byte) 0);
    if (k == null) {
      throw new IllegalArgumentException("recipient key gives an all-zero shared secret");
    }
    Envelope e = seal(sender, k, recipient, type, timestampMs, nonce, plaintext);
    Arrays.fill(k, (byte) 0);
    return e;
  }

  /** Seals with an already computed box key between sender and recipient. */
  static Envelope seal(KeyPair sender, byte[] boxKey, byte[] recipient, MessageType type, long timestampMs,
      byte[] nonce, byte[] plaintext) {
    check(nonce, Crypto.NONCE_BYTES, "nonce");
    byte[] ct = Crypto.secretboxSeal(boxKey, nonce, plaintext);
    byte[] unsigned = unsignedBytes(type, sender.publicKeyRef(), recipient, timestampMs, nonce, ct);
    byte[] sig = Crypto.sign(sender.seedRef(), sender.publicKeyRef(), withDomain(unsigned));
    return new Envelope(type, sender.publicKeyRef(), recipient, timestampMs, nonce, ct, sig);
  }

  public int version() {
    return VERSION;
  }

  public MessageType type() {
    return type;
  }

  public byte[] sender() {
    return sender.clone();
  }

  public byte[] recipient() {
    return recipient.clone();
  }

  public long timestampMs() {
    return timestampMs;
  }

  public byte[] nonce() {
    return nonce.clone();
  }

  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** The bytes the signature covers: {@code "infernet/envelope/v1\0"} then the binary form without the signature. */
  public byte[] signedBytes() {
    return withDomain(unsignedBytes(type, sender, recipient, timestampMs, nonce, ciphertext));
  }

  /** True when the sender key is valid and the signature verifies: what a carrier can check. */
  public boolean verifySignature() {
    return Crypto.validPublicKey(sender) && Crypto.verify(sender, signedBytes(), signature);
  }

  /** The size of the binary form. */
  public int binarySize() {
    return HEADER_BYTES + ciphertext.length + Crypto.SIGNATURE_BYTES;
  }

  byte[] senderRef() {
    return sender;
  }

  byte[] recipientRef() {
    return recipient;
  }

  byte[] nonceRef() {
    return nonce;
  }

  byte[] ciphertextRef() {
    return ciphertext;
  }

  byte[] signatureRef() {
    return signature;
  }

  static byte[] unsignedBytes(MessageType type, byte[] sender, byte[] recipient, long ts,
      byte[] nonce, byte[] ct) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + ct.length);
    b.put((byte) VERSION).put((byte) type.code()).put(sender).put(recipient).putLong(ts).put(nonce)
        .putInt(ct.length).put(ct);
    return b.array();
  }

  private static byte[] withDomain(byte[] unsigned) {
    byte[] m = Arrays.copyOf(DOMAIN, DOMAIN.length + unsigned.length);
    System.arraycopy(unsigned, 0, m, DOMAIN.length, unsigned.length);
    return m;
  }

  private static byte[] check(byte[] b, int len, String what) {
    if (b == null || b.length != len) {
      throw new IllegalArgumentException(what + " must be " + len + " bytes");
    }
    return b.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope e && type == e.type && timestampMs == e.timestampMs
        && Arrays.equals(sender, e.sender) && Arrays.equals(recipient, e.recipient)
        && Arrays.equals(nonce, e.nonce) && Arrays.equals(ciphertext, e.ciphertext)
        && Arrays.equals(signature, e.signature);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    HexFormat h = HexFormat.of();
    return "Envelope[" + type.wireName() + " from " + h.formatHex(sender) + " to "
        + h.formatHex(recipient) + " at " + timestampMs + ", " + ciphertext.length + " bytes]";
  }
}

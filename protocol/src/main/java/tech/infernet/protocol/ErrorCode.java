package tech.infernet.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stable error codes: those a receiver returns when it rejects an envelope, and those carried in
 * an {@code error} message. The wire name is part of the protocol: never rename or reuse one,
 * only add.
 */
public enum ErrorCode {
  // Envelope checks, in the order a receiver makes them.
  /** Bytes that are not an envelope of the stated version (bad length, field, encoding). */
  MALFORMED("malformed"),
  /** The envelope (or its ciphertext) is larger than the receiver accepts. */
  OVERSIZE("oversize"),
  /** A version this receiver does not speak. */
  UNSUPPORTED_VERSION("unsupported_version"),
  /** A message type this receiver does not know. */
  UNSUPPORTED_TYPE("unsupported_type"),
  /** A public key that is not a valid Ed25519 point of prime order. */
  BAD_KEY("bad_key"),
  /** The envelope is addressed to another key. */
  WRONG_RECIPIENT("wrong_recipient"),
  /** The Ed25519 signature does not verify over the signed bytes. */
  BAD_SIGNATURE("bad_signature"),
  /** The timestamp is outside the receiver's skew window. */
  CLOCK_SKEW("clock_skew"),
  /** The same (sender, nonce) was accepted before. */
  REPLAYED("replayed"),
  /** The replay cache is full of unexpired entries; try again later. */
  REPLAY_CACHE_FULL("replay_cache_full"),
  /** The signature is good but the ciphertext does not open with the recipient's key. */
  UNDECRYPTABLE("undecryptable"),
  /** The plaintext is not a valid payload for the message type. */
  BAD_PAYLOAD("bad_payload"),

  // Application errors carried in `error` messages.
  /** The sender's key is not in the receiver's access list. */
  UNAUTHORIZED("unauthorized"),
  /** The sender's role does not allow this request. */
  FORBIDDEN("forbidden"),
  /** Too many requests from this key; slow down. */
  RATE_LIMITED("rate_limited"),
  /** The key has as many jobs running as its quota allows. */
  QUOTA_EXCEEDED("quota_exceeded"),
  /** No such job (or not visible to this key). */
  NOT_FOUND("not_found"),
  /** The job spec is invalid; {@code field} and {@code detail} say where and why. */
  INVALID_SPEC("invalid_spec"),
  /** The agent's policy refuses the job (image not allowed, limits too high...). */
  REJECTED("rejected"),
  /** The request does not apply to the job's current state (cancelling a finished job). */
  INVALID_STATE("invalid_state"),
  /** The pairing secret is unknown. */
  PAIR_INVALID("pair_invalid"),
  /** The pairing secret's lifetime is over. */
  PAIR_EXPIRED("pair_expired"),
  /** The pairing secret was already used. */
  PAIR_USED("pair_used"),
  /** A chunk's bytes do not hash to the manifest's value for that index. */
  CHUNK_MISMATCH("chunk_mismatch"),
  /** All chunks arrived but the whole does not hash to the manifest's content hash. */
  CONTENT_MISMATCH("content_mismatch"),
  /** The receiver is overloaded or shutting down; try again later. */
  UNAVAILABLE("unavailable"),
  /** An unexpected failure inside the receiver. */
  INTERNAL("internal");

  private static final Map<String, ErrorCode> BY_WIRE = new HashMap<>();

  static {
    for (ErrorCode c : values()) {
      BY_WIRE.put(c.wireName, c);
    }
  }

  private final String wireName;

  ErrorCode(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<ErrorCode> fromWire(String name) {
    return Optional.ofNullable(BY_WIRE.get(name));
  }
}

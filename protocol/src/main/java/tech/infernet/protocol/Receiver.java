package tech.infernet.protocol;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * Checks and opens envelopes addressed to one identity. In order: size, encoding, version and
 * type ({@link EnvelopeCodec}); then recipient, sender key, signature, timestamp window, replay
 * cache, and finally the box. Each refusal is a {@link ProtocolException} with a stable code;
 * a replay is recorded only for envelopes whose signature verified, so forged envelopes cannot
 * fill the cache. Thread-safe (as long as its replay cache is).
 */
public final class Receiver {
  /**
   * @param skew how far an envelope's timestamp may be from the receiver's clock, either way
   * @param maxEnvelopeBytes largest binary envelope accepted (the JSON form is bounded accordingly)
   */
  public record Options(Duration skew, int maxEnvelopeBytes) {
    public static final Options DEFAULT = new Options(Duration.ofSeconds(120), EnvelopeCodec.DEFAULT_MAX_BYTES);

    public Options {
      if (skew.isNegative() || skew.isZero()) {
        throw new IllegalArgumentException("skew must be positive");
      }
      if (maxEnvelopeBytes < EnvelopeCodec.MIN_BINARY_BYTES) {
        throw new IllegalArgumentException("maxEnvelopeBytes below the smallest envelope");
      }
    }
  }

  private final KeyPair self;
  private final ReplayCache replays;
  private final Clock clock;
  private final Options options;
  private final PeerKeys peers;

  public Receiver(KeyPair self, ReplayCache replays, Clock clock, Options options) {
    this.self = self;
    this.replays = replays;
    this.clock = clock;
    this.options = options;
    this.peers = new PeerKeys(self, PeerKeys.DEFAULT_PEERS);
  }

  public Options options() {
    return options;
  }

  /** Decodes the binary form and opens it. */
  public Opened open(byte[] binary) throws ProtocolException {
    return open(EnvelopeCodec.fromBinary(binary, options.maxEnvelopeBytes()));
  }

  /** Decodes the JSON form and opens it. */
  public Opened openJson(String json) throws ProtocolException {
    return open(EnvelopeCodec.fromJson(json, options.maxEnvelopeBytes()));
  }

  public Opened open(Envelope e) throws ProtocolException {
    if (e.binarySize() > options.maxEnvelopeBytes()) {
      throw new ProtocolException(ErrorCode.OVERSIZE, e.binarySize() + " bytes");
    }
    if (!Arrays.equals(e.recipientRef(), self.publicKeyRef())) {
      throw new ProtocolException(ErrorCode.WRONG_RECIPIENT, "envelope is for another key");
    }
    if (!peers.known(e.senderRef()) && !Crypto.validPublicKey(e.senderRef())) {
      throw new ProtocolException(ErrorCode.BAD_KEY, "sender is not a valid Ed25519 public key");
    }
    if (!Crypto.verify(e.senderRef(), e.signedBytes(), e.signatureRef())) {
      throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "signature does not verify");
    }
    long now = clock.millis();
    long skew = options.skew().toMillis();
    if (Math.abs(now - e.timestampMs()) > skew) {
      throw new ProtocolException(ErrorCode.CLOCK_SKEW, "timestamp " + e.timestampMs()
          + " is " + (e.timestampMs() - now) + " ms from now; window is +-" + skew + " ms");
    }
    ReplayCache.Result r;
    try {
      r = replays.checkAndRecord(e.senderRef(), e.nonceRef(), e.timestampMs() + skew, now);
    } catch (IOException io) {
      throw new ProtocolException(ErrorCode.UNAVAILABLE, "replay cache failed: " + io.getMessage(), io);
    }
    if (r == ReplayCache.Result.REPLAYED) {
      throw new ProtocolException(ErrorCode.REPLAYED, "nonce already seen from this sender");
    }
    if (r == ReplayCache.Result.FULL) {
      throw new ProtocolException(ErrorCode.REPLAY_CACHE_FULL, "replay cache full; try later");
    }
    byte[] k = peers.boxKey(e.senderRef());
    byte[] plain = k == null ? null : Crypto.secretboxOpen(k, e.nonceRef(), e.ciphertextRef());
    if (plain == null) {
      throw new ProtocolException(ErrorCode.UNDECRYPTABLE, "payload does not open with this key");
    }
    return new Opened(e.senderRef(), e.type(), e.timestampMs(), e.nonceRef(), plain);
  }
}

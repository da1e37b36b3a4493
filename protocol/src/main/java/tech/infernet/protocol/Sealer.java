package tech.infernet.protocol;

import java.security.SecureRandom;
import java.time.Clock;

/** Seals payloads from one identity: a fresh random nonce and the current time for each envelope. */
public final class Sealer {
  private final KeyPair self;
  private final SecureRandom random;
  private final Clock clock;
  private final PeerKeys peers;

  public Sealer(KeyPair self, SecureRandom random, Clock clock) {
    this.self = self;
    this.random = random;
    this.clock = clock;
    this.peers = new PeerKeys(self, PeerKeys.DEFAULT_PEERS);
  }

  public Sealer(KeyPair self) {
    this(self, new SecureRandom(), Clock.systemUTC());
  }

  /** @throws IllegalArgumentException when {@code recipient} is not a valid Ed25519 public key */
  public Envelope seal(byte[] recipient, MessageType type, byte[] payload) {
    byte[] key = recipient == null || recipient.length != 32 ? null : peers.boxKey(recipient);
    if (key == null) {
      throw new IllegalArgumentException("recipient is not a valid Ed25519 public key");
    }
    byte[] nonce = new byte[Crypto.NONCE_BYTES];
    random.nextBytes(nonce);
    return Envelope.seal(self, key, recipient, type, clock.millis(), nonce, payload);
  }
}

package tech.infernet.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NaCl box keys ({@code crypto_box_beforenm}) between one identity and its recent peers,
 * least recently used evicted past a bound: a peer's key is validated and its X25519 agreement
 * computed once, not per envelope. Thread-safe.
 */
final class PeerKeys {
  static final int DEFAULT_PEERS = 1024;

  private final byte[] xSecret;
  private final Map<ByteBuffer, byte[]> keys;

  PeerKeys(KeyPair self, int maxPeers) {
    this.xSecret = Crypto.edSeedToX25519(self.seedRef());
    this.keys = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
        if (size() > maxPeers) {
          Arrays.fill(eldest.getValue(), (byte) 0);
          return true;
        }
        return false;
      }
    };
  }

  /** The box key with {@code peer}, or null when {@code peer} is not a valid Ed25519 public key. */
  byte[] boxKey(byte[] peer) {
    ByteBuffer k = ByteBuffer.wrap(peer.clone());
    synchronized (keys) {
      byte[] cached = keys.get(k);
      if (cached != null) {
        return cached;
      }
    }
    if (!Crypto.validPublicKey(peer)) {
      return null;
    }
    byte[] key = Crypto.boxBeforeNm(xSecret, Crypto.edPublicToX25519(peer));
    if (key == null) {
      return null;
    }
    synchronized (keys) {
      keys.put(k, key);
    }
    return key;
  }

  /** Whether {@code peer} has a cached key (it was validated before). */
  boolean known(byte[] peer) {
    synchronized (keys) {
      return keys.containsKey(ByteBuffer.wrap(peer));
    }
  }
}

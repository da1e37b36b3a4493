package tech.infernet.protocol;

import java.util.Arrays;

/**
 * An envelope that passed every check, with its payload in the clear. {@code sender} is
 * authenticated by the signature (and by the box); the arrays are copies.
 */
public record Opened(byte[] sender, MessageType type, long timestampMs, byte[] nonce, byte[] payload) {
  public Opened {
    sender = sender.clone();
    nonce = nonce.clone();
    payload = payload.clone();
  }

  @Override
  public byte[] sender() {
    return sender.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Opened x && type == x.type && timestampMs == x.timestampMs
        && Arrays.equals(sender, x.sender) && Arrays.equals(nonce, x.nonce)
        && Arrays.equals(payload, x.payload);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(nonce);
  }

  @Override
  public String toString() {
    return "Opened[" + type.wireName() + ", " + payload.length + " bytes at " + timestampMs + "]";
  }
}

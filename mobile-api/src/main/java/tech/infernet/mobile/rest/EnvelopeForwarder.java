package tech.infernet.mobile.rest;

import java.util.concurrent.CompletableFuture;
import tech.infernet.protocol.Envelope;

/**
 * Hands a phone's sealed envelope on to its recipient (an agent the phone linked). The relay
 * implements it over NKN as a carrier; the REST layer has already checked that the envelope
 * decodes, is signed by the caller's key, is fresh and not replayed, and that the phone linked
 * the recipient at {@code recipientAddress}. It cannot read the payload and neither can this.
 * The future completes with the recipient's answer, a binary envelope sealed to the phone (null
 * when it sent none), or fails with a {@link ForwardException}.
 */
@FunctionalInterface
public interface EnvelopeForwarder {
  CompletableFuture<byte[]> forward(String senderKeyId, String recipientAddress, Envelope envelope);

  /** Why a hand-off failed. */
  final class ForwardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Whether it is worth trying again later (unreachable, overloaded), or not (refused). */
    private final boolean retryable;

    public ForwardException(String message, boolean retryable) {
      super(message);
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }
}

package tech.infernet.mobile;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import tech.infernet.mobile.rest.EnvelopeForwarder;
import tech.infernet.protocol.Envelope;

/**
 * TEST DOUBLE of the relay's NKN forwarder (the real one, relay's NknCarrier, is exercised end to
 * end in e2e/): records every envelope it is handed and answers as told, so the REST layer's
 * checks can be tested without NKN. It stands in for the carrier only; everything before it is real.
 */
public final class RecordingForwarder implements EnvelopeForwarder {
  public record Forwarded(String senderKeyId, String address, Envelope envelope) {}

  public final List<Forwarded> received = new CopyOnWriteArrayList<>();
  /** When set, the next hand-offs fail with it. */
  public volatile RuntimeException failWith;
  /** When true, hand-offs never complete (to exercise the timeout). */
  public volatile boolean hang;
  /** The recipient's answer to hand back (a binary envelope), or null for none. */
  public volatile byte[] reply;

  @Override
  public CompletableFuture<byte[]> forward(String senderKeyId, String address, Envelope envelope) {
    if (hang) {
      return new CompletableFuture<>();
    }
    if (failWith != null) {
      return CompletableFuture.failedFuture(failWith);
    }
    received.add(new Forwarded(senderKeyId, address, envelope));
    return CompletableFuture.completedFuture(reply);
  }
}

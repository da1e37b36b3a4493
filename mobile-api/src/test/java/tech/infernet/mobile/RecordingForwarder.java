package tech.infernet.mobile;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import tech.infernet.mobile.rest.EnvelopeForwarder;
import tech.infernet.protocol.Envelope;

/**
 * TEST DOUBLE of the relay's NKN forwarder (not built yet): records every envelope it is handed
 * and answers as told. It stands in for the carrier only; everything before it is real.
 */
public final class RecordingForwarder implements EnvelopeForwarder {
  public record Forwarded(String senderKeyId, Envelope envelope) {}

  public final List<Forwarded> received = new CopyOnWriteArrayList<>();
  /** When set, the next hand-offs fail with it. */
  public volatile RuntimeException failWith;
  /** When true, hand-offs never complete (to exercise the timeout). */
  public volatile boolean hang;

  @Override
  public CompletableFuture<Void> forward(String senderKeyId, Envelope envelope) {
    if (hang) {
      return new CompletableFuture<>();
    }
    if (failWith != null) {
      return CompletableFuture.failedFuture(failWith);
    }
    received.add(new Forwarded(senderKeyId, envelope));
    return CompletableFuture.completedFuture(null);
  }
}

package tech.infernet.mobile.push;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Sends one message to several tokens; one outcome per token, in order. Never fails the future for a per-token error. */
public interface PushSender extends AutoCloseable {
  CompletableFuture<List<PushOutcome>> send(List<String> tokens, PushMessage message);

  @Override
  default void close() {}
}

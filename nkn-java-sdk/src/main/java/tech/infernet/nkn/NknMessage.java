package tech.infernet.nkn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A message received by an {@link NknClient}. The source address is authenticated: NKN
 * messages are sealed with the sender's key, so only its holder could have sent it.
 */
public final class NknMessage {
  private final NknClient client;
  private final long token;
  private final String source;
  private final byte[] data;
  private final AtomicBoolean answered = new AtomicBoolean();

  NknMessage(NknClient client, long token, String source, byte[] data) {
    this.client = client;
    this.token = token;
    this.source = source;
    this.data = data;
  }

  /** The sender's NKN address, {@code identifier.publicKeyHex}. */
  public String source() {
    return source;
  }

  public byte[] data() {
    return data.clone();
  }

  /** False when the sender asked for no reply. */
  public boolean canReply() {
    return token != 0;
  }

  /**
   * Answers the sender once, within the client's reply window. The future completes when the
   * reply is handed to a node.
   */
  public CompletableFuture<Void> reply(byte[] reply) {
    if (!canReply()) {
      return CompletableFuture.failedFuture(new NknException(NknException.Code.INVALID_ARGUMENT,
          "the sender of this message asked for no reply"));
    }
    if (!answered.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(new NknException(NknException.Code.INVALID_ARGUMENT,
          "this message was answered already"));
    }
    return client.reply(token, reply);
  }

  @Override
  public String toString() {
    return "NknMessage[from " + source + ", " + data.length + " bytes]";
  }
}

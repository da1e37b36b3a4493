package tech.infernet.relay.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;
import tech.infernet.mobile.agents.AgentLinks;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.mobile.rest.EnvelopeForwarder;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknException;
import tech.infernet.protocol.Envelope;
import tech.infernet.protocol.EnvelopeCodec;

/**
 * Carries a phone's sealed envelope to its agent over NKN, byte for byte (the relay signs
 * nothing and opens nothing), and hands back the agent's sealed answer. The agent accepts it
 * because this relay holds the carrier role there; it checks the phone's own signature and role.
 * Whether the agent answered is what the relay knows of its reachability.
 */
public final class NknCarrier implements EnvelopeForwarder {
  private static final Logger LOG = Logger.getLogger(NknCarrier.class.getName());
  private final NknLink nkn;
  private volatile AgentLinks links;

  public NknCarrier(NknLink nkn) {
    this.nkn = nkn;
  }

  /** Where reachability goes; the mobile API that owns it starts after this carrier exists. */
  public void attach(AgentLinks agentLinks) {
    this.links = agentLinks;
  }

  @Override
  public CompletableFuture<byte[]> forward(String senderKeyId, String recipientAddress, Envelope envelope) {
    NknClient client = nkn.client().orElse(null);
    if (client == null) {
      return CompletableFuture.failedFuture(new ForwardException("the relay is still joining NKN", true));
    }
    String agent = KeyIds.of(envelope.recipient());
    CompletableFuture<byte[]> answer;
    try {
      answer = client.send(recipientAddress, EnvelopeCodec.toBinary(envelope)).thenApply(r -> r.data());
    } catch (NknException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle((data, error) -> {
      AgentLinks l = links;
      if (l != null) {
        l.seen(agent, error == null);
      }
      if (error == null) {
        return data;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      LOG.fine("carrying to " + recipientAddress + " failed: " + cause.getMessage());
      if (cause instanceof NknException n) {
        boolean retryable = n.code() != NknException.Code.INVALID_ADDRESS
            && n.code() != NknException.Code.MESSAGE_TOO_LARGE && n.code() != NknException.Code.INVALID_ARGUMENT;
        throw new CompletionException(new ForwardException(retryable ? "the agent did not answer (" + n.code() + ")"
            : "refused by NKN: " + n.getMessage(), retryable));
      }
      throw new CompletionException(new ForwardException("the agent could not be reached", true));
    });
  }
}

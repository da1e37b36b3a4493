package tech.infernet.agent.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tech.infernet.client.SecureChannel;
import tech.infernet.nkn.NknAccount;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.nkn.NknReply;
import tech.infernet.nkn.NknSession;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.transfer.SessionFrames;

/**
 * A key on NKN that sends an agent hand-made envelopes, as messages or on sessions, for the
 * tests that tamper, replay, forward or refuse. Made by {@link TestAgent#raw}.
 */
final class RawPeer {
  /** Writes to a session what the test wants. */
  @FunctionalInterface
  interface Writes {
    void to(OutputStream out) throws IOException;
  }

  final SecureChannel channel;
  final NknClient nkn;
  private final String agent;

  RawPeer(KeyPair key, NknClientOptions options, String agentAddress) {
    this.channel = new SecureChannel(key, new InMemoryReplayCache());
    this.nkn = NknClient.connect(NknAccount.fromSeed(key.seed()), options);
    this.agent = agentAddress;
  }

  /** Envelope bytes of payload, sealed by this key to the agent. */
  byte[] seal(Payload payload) {
    return channel.seal(HexFormat.of().parseHex(SecureChannel.publicKeyOf(agent)), payload);
  }

  /** Sends envelope bytes as one NKN message and opens the answer. */
  Payload send(String address, byte[] envelope) throws ProtocolException {
    NknReply reply = nkn.sendAndWait(address, envelope);
    return channel.open(reply.source(), reply.data()).payload();
  }

  /** On a new session: the first envelope, then what {@code then} writes; every envelope sent back, opened. */
  List<Payload> exchange(Payload first, Writes then) throws Exception {
    return exchangeRaw(seal(first), then);
  }

  List<Payload> exchangeRaw(byte[] first, Writes then) throws Exception {
    return session(out -> {
      SessionFrames.writeEnvelope(out, first);
      then.to(out);
    });
  }

  /** Dials the agent, writes, half-closes, and opens every envelope frame the agent sends back. */
  List<Payload> session(Writes writes) throws Exception {
    try (NknSession session = nkn.dial(agent, Duration.ofSeconds(30))) {
      session.setIoTimeout(Duration.ofSeconds(30));
      OutputStream out = session.getOutputStream();
      writes.to(out);
      out.flush();
      out.close();
      InputStream in = session.getInputStream();
      List<Payload> answers = new ArrayList<>();
      for (byte[] envelope; (envelope = SessionFrames.readEnvelope(in, 1 << 20)) != null; ) {
        answers.add(channel.open(session.remoteAddress(), envelope).payload());
      }
      return answers;
    }
  }
}

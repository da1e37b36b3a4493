package tech.infernet.client;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import tech.infernet.protocol.EnvelopeCodec;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.Opened;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.Receiver;
import tech.infernet.protocol.ReplayCache;
import tech.infernet.protocol.Sealer;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.message.PayloadException;
import tech.infernet.protocol.message.Payloads;

/**
 * Seals payloads into signed envelopes for one recipient, and opens envelopes that arrive over
 * NKN: signature, recipient, clock skew and replay checked, payload decoded. Agents and clients
 * both use it, so the two ends cannot disagree on the checks.
 */
public final class SecureChannel {
  private final KeyPair self;
  private final Sealer sealer;
  private final Receiver receiver;

  public SecureChannel(KeyPair self, ReplayCache replays, Clock clock, Receiver.Options options) {
    this.self = self;
    this.sealer = new Sealer(self, new SecureRandom(), clock);
    this.receiver = new Receiver(self, replays, clock, options);
  }

  public SecureChannel(KeyPair self, ReplayCache replays) {
    this(self, replays, Clock.systemUTC(), Receiver.Options.DEFAULT);
  }

  public KeyPair self() {
    return self;
  }

  /** The binary envelope of payload, signed by us and readable only by recipient. */
  public byte[] seal(byte[] recipient, Payload payload) {
    return EnvelopeCodec.toBinary(sealer.seal(recipient, payload.type(), Payloads.encode(payload)));
  }

  /**
   * Opens an envelope that arrived over NKN from {@code nknSource}.
   *
   * @throws ProtocolException with the stable code of the first check that failed
   */
  public Inbound open(String nknSource, byte[] binary) throws ProtocolException {
    Opened opened = receiver.open(binary);
    Payload payload;
    try {
      payload = Payloads.decode(opened.type(), opened.payload());
    } catch (PayloadException e) {
      throw e; // keeps its own code (bad_payload, or invalid_spec with field and detail) and the request id
    }
    String sender = HexFormat.of().formatHex(opened.sender());
    return new Inbound(opened.sender(), sender, nknSource, !sender.equals(publicKeyOf(nknSource)), payload);
  }

  /** The public key (hex) in an NKN address {@code [identifier.]publicKeyHex}. */
  public static String publicKeyOf(String nknAddress) {
    int dot = nknAddress.lastIndexOf('.');
    return dot < 0 ? nknAddress : nknAddress.substring(dot + 1);
  }

  /**
   * An opened envelope.
   *
   * @param carried true when the NKN source is not the envelope's signer: a carrier (relay)
   *     forwarded it, which the receiver must allow explicitly
   */
  public record Inbound(byte[] sender, String senderHex, String nknSource, boolean carried, Payload payload) {}
}

package tech.infernet.protocol;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.message.PayloadException;
import tech.infernet.protocol.message.Payloads;
import tech.infernet.protocol.spec.JobSpec;
import tech.infernet.protocol.spec.JobSpecs;
import tech.infernet.protocol.spec.NosanaImporter;
import tech.infernet.protocol.spec.SpecException;
import tech.infernet.protocol.transfer.ChunkFrames;
import tech.infernet.protocol.transfer.Manifest;
import tech.infernet.protocol.transfer.TransferState;

/**
 * The decoders under fuzzing. Each takes arbitrary bytes; bad input must end in the decoder's
 * checked exception with a code (ProtocolException, SpecException). Anything else thrown, and any
 * broken round trip of accepted input, is a failure. Shared by the Jazzer fuzz tests and the
 * property tests.
 */
public final class FuzzTargets {
  static final KeyPair BOB = TestVectors.BOB;
  static final Manifest MANIFEST = Manifest.of(new byte[5000], 1024);

  private FuzzTargets() {}

  private static Receiver receiver() {
    return new Receiver(BOB, new InMemoryReplayCache(16), Fixtures.clockAt(Fixtures.T0), Receiver.Options.DEFAULT);
  }

  /** Binary envelope through every receiver check, then its payload. */
  public static void binaryEnvelope(byte[] data) {
    try {
      Envelope e = EnvelopeCodec.fromBinary(data);
      check(Arrays.equals(data, EnvelopeCodec.toBinary(e)), "binary form re-encodes to other bytes");
      check(e.equals(EnvelopeCodec.fromJson(EnvelopeCodec.toJson(e))), "binary envelope does not survive the JSON form");
      Opened o = receiver().open(e);
      payload(o.type(), o.payload());
    } catch (ProtocolException expected) {
      requireCode(expected);
    }
  }

  /** JSON envelope (UTF-8 bytes) through every receiver check, then its payload. */
  public static void jsonEnvelope(byte[] data) {
    try {
      Envelope e = EnvelopeCodec.fromJson(data, EnvelopeCodec.DEFAULT_MAX_BYTES);
      check(e.equals(EnvelopeCodec.fromBinary(EnvelopeCodec.toBinary(e))), "JSON envelope does not survive the binary form");
      Opened o = receiver().open(e);
      payload(o.type(), o.payload());
    } catch (ProtocolException expected) {
      requireCode(expected);
    }
  }

  /** First byte picks the message type, the rest is the payload JSON. */
  public static void payload(byte[] data) {
    if (data.length == 0) {
      return;
    }
    MessageType t = MessageType.values()[(data[0] & 0xFF) % MessageType.values().length];
    payload(t, Arrays.copyOfRange(data, 1, data.length));
  }

  static void payload(MessageType type, byte[] json) {
    try {
      Payload p = Payloads.decode(type, json);
      Payload again = Payloads.decode(type, Payloads.encode(p));
      check(p.equals(again), "payload does not round-trip: " + p + " vs " + again);
    } catch (PayloadException expected) {
      requireCode(expected);
      expected.toReply();
    }
  }

  public static void jobSpec(byte[] data) {
    try {
      JobSpec s = JobSpecs.parse(new String(data, StandardCharsets.UTF_8));
      check(s.equals(JobSpecs.parse(JobSpecs.toJson(s))), "spec does not round-trip");
    } catch (SpecException expected) {
      check(expected.error() != null && expected.field() != null, "spec error without code or field");
    }
  }

  public static void nosana(byte[] data) {
    try {
      JobSpec s = NosanaImporter.importJson(new String(data, StandardCharsets.UTF_8));
      check(s.equals(JobSpecs.parse(JobSpecs.toJson(s))), "imported spec is not a valid spec of ours");
    } catch (SpecException expected) {
      check(expected.error() != null && expected.field() != null, "spec error without code or field");
    }
  }

  /** A manifest (text) or, when that fails, chunk frames against a fixed manifest. */
  public static void transfer(byte[] data) {
    try {
      Manifest m = Manifest.fromJson(new String(data, StandardCharsets.UTF_8));
      check(m.equals(Manifest.fromJson(m.toJson())), "manifest does not round-trip");
    } catch (ProtocolException expected) {
      requireCode(expected);
    }
    TransferState s = new TransferState(MANIFEST);
    ByteArrayInputStream in = new ByteArrayInputStream(data);
    try {
      for (ChunkFrames.Chunk c; (c = ChunkFrames.read(in, MANIFEST)) != null; ) {
        s.accept(c.index(), c.data());
      }
    } catch (ProtocolException expected) {
      requireCode(expected);
    } catch (java.io.IOException e) {
      throw new AssertionError("a byte array stream does not fail", e);
    }
    try {
      tech.infernet.protocol.transfer.SessionFrames.readEnvelope(new ByteArrayInputStream(data), 4096);
    } catch (ProtocolException expected) {
      requireCode(expected);
    } catch (java.io.IOException e) {
      throw new AssertionError("a byte array stream does not fail", e);
    }
  }

  static final List<String> TARGETS = List.of("binaryEnvelope", "jsonEnvelope", "payload", "jobSpec", "nosana", "transfer");

  static void run(String target, byte[] data) {
    switch (target) {
      case "binaryEnvelope" -> binaryEnvelope(data);
      case "jsonEnvelope" -> jsonEnvelope(data);
      case "payload" -> payload(data);
      case "jobSpec" -> jobSpec(data);
      case "nosana" -> nosana(data);
      case "transfer" -> transfer(data);
      default -> throw new IllegalArgumentException(target);
    }
  }

  private static void requireCode(ProtocolException e) {
    check(e.code() != null, "protocol exception without a code");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }
}

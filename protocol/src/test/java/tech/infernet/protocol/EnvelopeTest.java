package tech.infernet.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  private final KeyPair alice = Fixtures.key(1);
  private final KeyPair bob = Fixtures.key(101);
  private final KeyPair relay = Fixtures.key(201);
  private final byte[] payload = "{\"id\":\"r1\",\"jobId\":\"j1\"}".getBytes(StandardCharsets.UTF_8);

  private Envelope aliceToBob() {
    return Envelope.seal(alice, bob.publicKey(), MessageType.JOB_GET, Fixtures.T0, Fixtures.nonce(7), payload);
  }

  private Receiver bobReceiver() {
    return new Receiver(bob, new InMemoryReplayCache(), Fixtures.clockAt(Fixtures.T0), Receiver.Options.DEFAULT);
  }

  private static ErrorCode codeOf(ThrowingRunnable r) {
    return assertThrows(ProtocolException.class, r::run).code();
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void recipientOpensWhatTheSenderSealed() throws Exception {
    Opened o = bobReceiver().open(aliceToBob());
    assertArrayEquals(payload, o.payload());
    assertArrayEquals(alice.publicKey(), o.sender());
    assertEquals(MessageType.JOB_GET, o.type());
    assertEquals(Fixtures.T0, o.timestampMs());
  }

  @Test
  void binaryAndJsonFormsRoundTripToTheSameEnvelope() throws Exception {
    Envelope e = aliceToBob();
    assertEquals(e, EnvelopeCodec.fromBinary(EnvelopeCodec.toBinary(e)));
    assertEquals(e, EnvelopeCodec.fromJson(EnvelopeCodec.toJson(e)));
    assertArrayEquals(EnvelopeCodec.fromJson(EnvelopeCodec.toJson(e)).signedBytes(), e.signedBytes());
    assertEquals(e.binarySize(), EnvelopeCodec.toBinary(e).length);
  }

  @Test
  void signedBytesAreTheDomainThenTheBinaryFormWithoutSignature() {
    Envelope e = aliceToBob();
    byte[] bin = EnvelopeCodec.toBinary(e);
    byte[] expected = new byte[Envelope.DOMAIN.length + bin.length - 64];
    System.arraycopy(Envelope.DOMAIN, 0, expected, 0, Envelope.DOMAIN.length);
    System.arraycopy(bin, 0, expected, Envelope.DOMAIN.length, bin.length - 64);
    assertArrayEquals(expected, e.signedBytes());
    assertEquals("infernet/envelope/v1\0", new String(Envelope.DOMAIN, StandardCharsets.US_ASCII));
  }

  @Test
  void aCarrierCanVerifyTheSignatureButCannotOpenThePayload() {
    Envelope e = aliceToBob();
    assertTrue(e.verifySignature());
    Receiver relayReceiver = new Receiver(relay, new InMemoryReplayCache(),
        Fixtures.clockAt(Fixtures.T0), Receiver.Options.DEFAULT);
    assertEquals(ErrorCode.WRONG_RECIPIENT, codeOf(() -> relayReceiver.open(e)));
    // Even re-addressed to itself, the relay cannot forge the signature nor open the box.
    Envelope readdressed = new Envelope(e.type(), e.sender(), relay.publicKey(), e.timestampMs(),
        e.nonce(), e.ciphertext(), e.signature());
    assertEquals(ErrorCode.BAD_SIGNATURE, codeOf(() -> relayReceiver.open(readdressed)));
    // Its own box computation with alice's public key gives a different key: the tag fails.
    byte[] k = Crypto.boxBeforeNm(Crypto.edSeedToX25519(relay.seed()), Crypto.edPublicToX25519(alice.publicKey()));
    assertEquals(null, Crypto.secretboxOpen(k, e.nonce(), e.ciphertext()));
  }

  @Test
  void aThirdKeyCannotOpenEvenAnEnvelopeSignedForIt() {
    // The relay signs a copy of alice's ciphertext addressed to bob as its own: the box was made
    // between alice and bob, so bob cannot open it as coming from the relay.
    Envelope e = aliceToBob();
    byte[] unsigned = Envelope.unsignedBytes(e.type(), relay.publicKey(), bob.publicKey(), e.timestampMs(),
        e.nonce(), e.ciphertext());
    byte[] signed = new byte[Envelope.DOMAIN.length + unsigned.length];
    System.arraycopy(Envelope.DOMAIN, 0, signed, 0, Envelope.DOMAIN.length);
    System.arraycopy(unsigned, 0, signed, Envelope.DOMAIN.length, unsigned.length);
    Envelope stolen = new Envelope(e.type(), relay.publicKey(), bob.publicKey(), e.timestampMs(),
        e.nonce(), e.ciphertext(), Crypto.sign(relay.seed(), relay.publicKey(), signed));
    assertEquals(ErrorCode.UNDECRYPTABLE, codeOf(() -> bobReceiver().open(stolen)));
  }

  @Test
  void everySingleFlippedByteOfTheBinaryFormIsRefused() {
    byte[] bin = EnvelopeCodec.toBinary(aliceToBob());
    for (int i = 0; i < bin.length; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xFF}) {
        byte[] t = bin.clone();
        t[i] ^= (byte) mask;
        Receiver r = bobReceiver();
        ProtocolException ex = assertThrows(ProtocolException.class, () -> r.open(t), "byte " + i);
        assertNotNull(ex.code());
      }
    }
  }

  @Test
  void everySingleFlippedByteOfTheJsonFormIsRefused() {
    byte[] json = EnvelopeCodec.toJson(aliceToBob()).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < json.length; i++) {
      for (int mask : new int[] {0x01, 0x02, 0x20, 0x80}) {
        byte[] t = json.clone();
        t[i] ^= (byte) mask;
        Receiver r = bobReceiver();
        assertThrows(ProtocolException.class,
            () -> r.open(EnvelopeCodec.fromJson(t, EnvelopeCodec.DEFAULT_MAX_BYTES)), "byte " + i);
      }
    }
  }

  @Test
  void aTamperedHeaderFieldIsABadSignature() {
    byte[] bin = EnvelopeCodec.toBinary(aliceToBob());
    for (int offset : new int[] {70, 80, 103, 110}) { // timestamp, nonce, ciphertext
      byte[] t = bin.clone();
      t[offset] ^= 1;
      assertEquals(ErrorCode.BAD_SIGNATURE, codeOf(() -> bobReceiver().open(t)), "offset " + offset);
    }
  }

  @Test
  void anEnvelopeSentTwiceIsRefusedAsAReplay() throws Exception {
    Receiver r = bobReceiver();
    byte[] bin = EnvelopeCodec.toBinary(aliceToBob());
    r.open(bin);
    assertEquals(ErrorCode.REPLAYED, codeOf(() -> r.open(bin)));
    // The JSON form of the same envelope is the same envelope.
    assertEquals(ErrorCode.REPLAYED, codeOf(() -> r.openJson(EnvelopeCodec.toJson(aliceToBob()))));
  }

  @Test
  void timestampsOutsideTheSkewWindowAreRefused() throws Exception {
    Fixtures.MutableClock clock = new Fixtures.MutableClock(Fixtures.T0);
    Receiver r = new Receiver(bob, new InMemoryReplayCache(), clock,
        new Receiver.Options(Duration.ofSeconds(120), EnvelopeCodec.DEFAULT_MAX_BYTES));
    clock.set(Fixtures.T0 + 120_001);
    assertEquals(ErrorCode.CLOCK_SKEW, codeOf(() -> r.open(aliceToBob())));
    clock.set(Fixtures.T0 - 120_001);
    assertEquals(ErrorCode.CLOCK_SKEW, codeOf(() -> r.open(aliceToBob())));
    clock.set(Fixtures.T0 + 120_000);
    assertNotNull(r.open(aliceToBob()));
  }

  @Test
  void theReplayEntryOutlivesTheSkewWindowExactly() throws Exception {
    Fixtures.MutableClock clock = new Fixtures.MutableClock(Fixtures.T0);
    InMemoryReplayCache cache = new InMemoryReplayCache();
    Receiver r = new Receiver(bob, cache, clock, Receiver.Options.DEFAULT);
    r.open(aliceToBob());
    clock.set(Fixtures.T0 + 120_000);
    assertEquals(ErrorCode.REPLAYED, codeOf(() -> r.open(aliceToBob())));
    clock.set(Fixtures.T0 + 120_001);
    assertEquals(ErrorCode.CLOCK_SKEW, codeOf(() -> r.open(aliceToBob())));
    Envelope later = Envelope.seal(alice, bob.publicKey(), MessageType.JOB_GET, Fixtures.T0 + 120_001,
        Fixtures.nonce(8), payload);
    r.open(later); // purges the expired entry
    assertEquals(1, cache.size());
  }

  @Test
  void aFullReplayCacheRefusesRatherThanForgets() throws Exception {
    Receiver r = new Receiver(bob, new InMemoryReplayCache(1), Fixtures.clockAt(Fixtures.T0), Receiver.Options.DEFAULT);
    r.open(aliceToBob());
    Envelope other = Envelope.seal(alice, bob.publicKey(), MessageType.JOB_GET, Fixtures.T0, Fixtures.nonce(9), payload);
    assertEquals(ErrorCode.REPLAY_CACHE_FULL, codeOf(() -> r.open(other)));
  }

  @Test
  void unsupportedVersionIsReportedBeforeAnythingElse() {
    byte[] bin = EnvelopeCodec.toBinary(aliceToBob());
    bin[0] = 2;
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, codeOf(() -> EnvelopeCodec.fromBinary(bin)));
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, codeOf(() -> EnvelopeCodec.fromBinary(new byte[] {9})));
    String json = EnvelopeCodec.toJson(aliceToBob()).replace("\"v\":1", "\"v\":2");
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, codeOf(() -> EnvelopeCodec.fromJson(json)));
  }

  @Test
  void unknownTypesAreUnsupported() {
    byte[] bin = EnvelopeCodec.toBinary(aliceToBob());
    bin[1] = (byte) 200;
    assertEquals(ErrorCode.UNSUPPORTED_TYPE, codeOf(() -> EnvelopeCodec.fromBinary(bin)));
    String json = EnvelopeCodec.toJson(aliceToBob()).replace("job.get", "job.zap");
    assertEquals(ErrorCode.UNSUPPORTED_TYPE, codeOf(() -> EnvelopeCodec.fromJson(json)));
  }

  @Test
  void oversizeEnvelopesAreRefusedBeforeDecoding() {
    Envelope big = Envelope.seal(alice, bob.publicKey(), MessageType.JOB_SUBMIT, Fixtures.T0,
        Fixtures.nonce(1), new byte[5000]);
    byte[] bin = EnvelopeCodec.toBinary(big);
    assertEquals(ErrorCode.OVERSIZE, codeOf(() -> EnvelopeCodec.fromBinary(bin, 4096)));
    assertEquals(ErrorCode.OVERSIZE, codeOf(() -> EnvelopeCodec.fromJson(EnvelopeCodec.toJson(big), 4096)));
    Receiver small = new Receiver(bob, new InMemoryReplayCache(), Fixtures.clockAt(Fixtures.T0),
        new Receiver.Options(Duration.ofSeconds(120), 4096));
    assertEquals(ErrorCode.OVERSIZE, codeOf(() -> small.open(big)));
  }

  @Test
  void aLengthFieldThatLiesIsMalformedWithoutAllocatingIt() {
    byte[] bin = EnvelopeCodec.toBinary(aliceToBob());
    bin[98] = (byte) 0x7F; // ciphertext length now ~2 GiB
    assertEquals(ErrorCode.MALFORMED, codeOf(() -> EnvelopeCodec.fromBinary(bin)));
    assertEquals(ErrorCode.MALFORMED, codeOf(() -> EnvelopeCodec.fromBinary(Arrays.copyOf(bin, 50))));
    byte[] trailing = Arrays.copyOf(EnvelopeCodec.toBinary(aliceToBob()), bin.length + 1);
    assertEquals(ErrorCode.MALFORMED, codeOf(() -> EnvelopeCodec.fromBinary(trailing)));
  }

  @Test
  void jsonWithMissingUnknownOrNonCanonicalFieldsIsMalformed() {
    String json = EnvelopeCodec.toJson(aliceToBob());
    assertEquals(ErrorCode.MALFORMED, codeOf(() -> EnvelopeCodec.fromJson(json.replace(",\"ts\":", ",\"tz\":"))));
    assertEquals(ErrorCode.MALFORMED, codeOf(() -> EnvelopeCodec.fromJson(json.replace("}", ",\"x\":1}"))));
    assertEquals(ErrorCode.MALFORMED, codeOf(() -> EnvelopeCodec.fromJson(json.replace("}", ",\"ts\":1}"))));
    String sig = Base64UrlSig.of(json);
    assertEquals(ErrorCode.MALFORMED, codeOf(() -> EnvelopeCodec.fromJson(json.replace(sig, sig + "=="))));
    assertEquals(ErrorCode.MALFORMED, codeOf(() -> EnvelopeCodec.fromJson("[]")));
    assertEquals(ErrorCode.MALFORMED, codeOf(() -> EnvelopeCodec.fromJson("{\"v\":1")));
  }

  /** Pulls the sig field out of a JSON envelope. */
  static final class Base64UrlSig {
    static String of(String json) {
      int i = json.indexOf("\"sig\":\"") + 7;
      return json.substring(i, json.indexOf('"', i));
    }
  }

  @Test
  void invalidOrSmallOrderSenderKeysAreBadKeys() {
    Envelope e = aliceToBob();
    byte[] identity = new byte[32];
    identity[0] = 1; // the neutral point, of order 1
    Envelope bad = new Envelope(e.type(), identity, e.recipient(), e.timestampMs(), e.nonce(),
        e.ciphertext(), e.signature());
    assertEquals(ErrorCode.BAD_KEY, codeOf(() -> bobReceiver().open(bad)));
    assertFalse(bad.verifySignature());
    assertThrows(IllegalArgumentException.class,
        () -> Envelope.seal(alice, identity, MessageType.JOB_GET, Fixtures.T0, Fixtures.nonce(1), payload));
  }

  @Test
  void theSealerDrawsAFreshNonceEachTime() throws Exception {
    Sealer s = new Sealer(alice, new SecureRandom(), Fixtures.clockAt(Fixtures.T0));
    Envelope a = s.seal(bob.publicKey(), MessageType.JOB_LIST, payload);
    Envelope b = s.seal(bob.publicKey(), MessageType.JOB_LIST, payload);
    assertFalse(Arrays.equals(a.nonce(), b.nonce()));
    Receiver r = bobReceiver();
    r.open(a);
    r.open(b);
  }
}

package tech.infernet.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tech.infernet.protocol.internal.Base64Url;
import tech.infernet.protocol.internal.Json;

/**
 * The two encodings of an {@link Envelope}: compact binary (NKN) and JSON with base64url fields
 * (HTTP, other languages). Both carry the same fields, so the signature covers the same bytes
 * whichever is used. Decoders check sizes before they allocate and throw only {@link
 * ProtocolException}.
 */
public final class EnvelopeCodec {
  /** Default largest binary envelope accepted: 1 MiB. Payloads over 64 KiB should go through a transfer. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;
  /** Binary size of an envelope with an empty payload: header, 16-byte tag, signature. */
  public static final int MIN_BINARY_BYTES = Envelope.HEADER_BYTES + Crypto.TAG_BYTES + Crypto.SIGNATURE_BYTES;

  private static final Set<String> JSON_FIELDS = Set.of("v", "type", "from", "to", "ts", "nonce", "ct", "sig");
  /** JSON form beyond the base64 of the ciphertext: field names, other values, punctuation. */
  private static final int JSON_OVERHEAD = 512;

  private EnvelopeCodec() {}

  public static byte[] toBinary(Envelope e) {
    ByteBuffer b = ByteBuffer.allocate(e.binarySize());
    b.put(Envelope.unsignedBytes(e.type(), e.senderRef(), e.recipientRef(), e.timestampMs(),
        e.nonceRef(), e.ciphertextRef()));
    b.put(e.signatureRef());
    return b.array();
  }

  public static Envelope fromBinary(byte[] bytes) throws ProtocolException {
    return fromBinary(bytes, DEFAULT_MAX_BYTES);
  }

  /**
   * The type a binary envelope claims, read from its header without checking anything else; empty
   * when the bytes are not a version-1 envelope of a known type. For routing only: the type is
   * trusted once the envelope has been opened, since the signature covers it.
   */
  public static java.util.Optional<MessageType> peekType(byte[] bytes) {
    if (bytes == null || bytes.length < 2 || (bytes[0] & 0xFF) != Envelope.VERSION) {
      return java.util.Optional.empty();
    }
    return MessageType.fromCode(bytes[1] & 0xFF);
  }

  /** Decodes the binary form; {@code maxBytes} bounds the whole envelope. */
  public static Envelope fromBinary(byte[] bytes, int maxBytes) throws ProtocolException {
    if (bytes == null || bytes.length == 0) {
      throw new ProtocolException(ErrorCode.MALFORMED, "empty envelope");
    }
    if (bytes.length > maxBytes) {
      throw new ProtocolException(ErrorCode.OVERSIZE, bytes.length + " bytes, limit " + maxBytes);
    }
    int version = bytes[0] & 0xFF;
    if (version != Envelope.VERSION) {
      throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "version " + version);
    }
    if (bytes.length < MIN_BINARY_BYTES) {
      throw new ProtocolException(ErrorCode.MALFORMED, "envelope of " + bytes.length
          + " bytes is shorter than the minimum " + MIN_BINARY_BYTES);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.get();
    int code = b.get() & 0xFF;
    MessageType type = MessageType.fromCode(code).orElseThrow(
        () -> new ProtocolException(ErrorCode.UNSUPPORTED_TYPE, "type code " + code));
    byte[] sender = take(b, 32);
    byte[] recipient = take(b, 32);
    long ts = b.getLong();
    if (ts < 0 || ts > Envelope.MAX_TIMESTAMP) {
      throw new ProtocolException(ErrorCode.MALFORMED, "timestamp outside 0..2^53-1");
    }
    byte[] nonce = take(b, Crypto.NONCE_BYTES);
    long ctLen = b.getInt() & 0xFFFFFFFFL;
    long expected = Envelope.HEADER_BYTES + ctLen + Crypto.SIGNATURE_BYTES;
    if (ctLen < Crypto.TAG_BYTES || expected != bytes.length) {
      throw new ProtocolException(ErrorCode.MALFORMED, "ciphertext length " + ctLen
          + " does not match an envelope of " + bytes.length + " bytes");
    }
    byte[] ct = take(b, (int) ctLen);
    byte[] sig = take(b, Crypto.SIGNATURE_BYTES);
    return new Envelope(type, sender, recipient, ts, nonce, ct, sig);
  }

  /** The JSON form, fields in a fixed order, no whitespace. */
  public static String toJson(Envelope e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) Envelope.VERSION);
    m.put("type", e.type().wireName());
    m.put("from", Base64Url.encode(e.senderRef()));
    m.put("to", Base64Url.encode(e.recipientRef()));
    m.put("ts", e.timestampMs());
    m.put("nonce", Base64Url.encode(e.nonceRef()));
    m.put("ct", Base64Url.encode(e.ciphertextRef()));
    m.put("sig", Base64Url.encode(e.signatureRef()));
    return new String(Json.write(m), StandardCharsets.UTF_8);
  }

  public static Envelope fromJson(String json) throws ProtocolException {
    return fromJson(json, DEFAULT_MAX_BYTES);
  }

  /** Decodes the JSON form; {@code maxBytes} bounds the equivalent binary envelope. */
  public static Envelope fromJson(String json, int maxBytes) throws ProtocolException {
    if (json == null || json.isEmpty()) {
      throw new ProtocolException(ErrorCode.MALFORMED, "empty envelope");
    }
    if (json.length() > maxJsonChars(maxBytes)) {
      throw new ProtocolException(ErrorCode.OVERSIZE, json.length() + " characters, limit " + maxJsonChars(maxBytes));
    }
    return fromTree(parse(() -> Json.parse(json, 1)), maxBytes);
  }

  /** Decodes the JSON form from UTF-8 bytes (an HTTP body). */
  public static Envelope fromJson(byte[] utf8, int maxBytes) throws ProtocolException {
    if (utf8 == null || utf8.length == 0) {
      throw new ProtocolException(ErrorCode.MALFORMED, "empty envelope");
    }
    if (utf8.length > maxJsonChars(maxBytes)) {
      throw new ProtocolException(ErrorCode.OVERSIZE, utf8.length + " bytes, limit " + maxJsonChars(maxBytes));
    }
    return fromTree(parse(() -> Json.parse(utf8, 1)), maxBytes);
  }

  /** Largest JSON text accepted for a binary limit: base64 grows 4/3, plus fixed fields. */
  public static int maxJsonChars(int maxBytes) {
    return (int) Math.min(Integer.MAX_VALUE - 8, Base64Url.encodedLength(maxBytes) + (long) JSON_OVERHEAD);
  }

  private interface Parse {
    Object run() throws Json.JsonException;
  }

  private static Object parse(Parse p) throws ProtocolException {
    try {
      return p.run();
    } catch (Json.JsonException e) {
      throw new ProtocolException(ErrorCode.MALFORMED, "not a JSON envelope: " + e.getMessage());
    }
  }

  private static Envelope fromTree(Object tree, int maxBytes) throws ProtocolException {
    if (!(tree instanceof Map<?, ?> m)) {
      throw new ProtocolException(ErrorCode.MALFORMED, "a JSON envelope is an object");
    }
    Object v = m.get("v");
    if (!(v instanceof Long version)) {
      throw new ProtocolException(ErrorCode.MALFORMED, "'v' must be an integer");
    }
    if (version != Envelope.VERSION) {
      throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "version " + version);
    }
    for (Object k : m.keySet()) {
      if (!JSON_FIELDS.contains(k)) {
        throw new ProtocolException(ErrorCode.MALFORMED, "unknown field '" + printable(k) + "'");
      }
    }
    if (m.size() != JSON_FIELDS.size()) {
      throw new ProtocolException(ErrorCode.MALFORMED, "fields " + JSON_FIELDS + " are all required");
    }
    String typeName = string(m, "type");
    MessageType type = MessageType.fromWire(typeName).orElseThrow(
        () -> new ProtocolException(ErrorCode.UNSUPPORTED_TYPE, "type '" + printable(typeName) + "'"));
    byte[] sender = bytes(m, "from", 32);
    byte[] recipient = bytes(m, "to", 32);
    if (!(m.get("ts") instanceof Long ts) || ts < 0 || ts > Envelope.MAX_TIMESTAMP) {
      throw new ProtocolException(ErrorCode.MALFORMED, "'ts' must be an integer in 0..2^53-1");
    }
    byte[] nonce = bytes(m, "nonce", Crypto.NONCE_BYTES);
    String ctText = string(m, "ct");
    int maxCt = maxBytes - Envelope.HEADER_BYTES - Crypto.SIGNATURE_BYTES;
    if (ctText.length() > Base64Url.encodedLength(Math.max(0, maxCt))) {
      throw new ProtocolException(ErrorCode.OVERSIZE, "ciphertext longer than the limit of " + maxBytes + " bytes allows");
    }
    byte[] ct = Base64Url.decode(ctText);
    if (ct == null || ct.length < Crypto.TAG_BYTES) {
      throw new ProtocolException(ErrorCode.MALFORMED, "'ct' must be canonical base64url of at least 16 bytes");
    }
    byte[] sig = bytes(m, "sig", Crypto.SIGNATURE_BYTES);
    return new Envelope(type, sender, recipient, ts, nonce, ct, sig);
  }

  private static String string(Map<?, ?> m, String field) throws ProtocolException {
    if (!(m.get(field) instanceof String s)) {
      throw new ProtocolException(ErrorCode.MALFORMED, "'" + field + "' must be a string");
    }
    return s;
  }

  private static byte[] bytes(Map<?, ?> m, String field, int len) throws ProtocolException {
    String s = string(m, field);
    byte[] b = s.length() == Base64Url.encodedLength(len) ? Base64Url.decode(s) : null;
    if (b == null || b.length != len) {
      throw new ProtocolException(ErrorCode.MALFORMED,
          "'" + field + "' must be canonical unpadded base64url of " + len + " bytes");
    }
    return b;
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  static String printable(Object o) {
    String s = String.valueOf(o);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7F ? '?' : c);
    }
    return b.toString();
  }
}

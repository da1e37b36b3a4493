package tech.infernet.protocol.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.internal.Json;

/**
 * Describes content sent in chunks through an NKN session: its SHA-256 (which is also its
 * address: two transfers of the same bytes are the same transfer), its size, the chunk size and
 * the SHA-256 of each chunk. Chunk {@code i} covers bytes {@code [i*chunkBytes, min(size,
 * (i+1)*chunkBytes))}. Sent inside a sealed envelope, so it is as authentic as its sender.
 *
 * <p>JSON: {@code {"sha256":"<hex>","size":N,"chunkBytes":N,"chunks":["<hex>",...]}}.
 */
public record Manifest(String sha256, long size, int chunkBytes, List<String> chunks) {
  /** Payloads above this go through a transfer rather than inline in an envelope. */
  public static final int INLINE_MAX = 64 * 1024;
  public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;
  public static final int MIN_CHUNK_BYTES = 1024;
  public static final int MAX_CHUNK_BYTES = 4 << 20;
  /** At most this many chunks (64 GiB at the default chunk size). */
  public static final int MAX_CHUNKS = 1 << 18;

  public Manifest {
    if (!isHash(sha256)) {
      throw new IllegalArgumentException("sha256: 64 lower-case hex digits");
    }
    if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException("chunkBytes: must be in " + MIN_CHUNK_BYTES + ".." + MAX_CHUNK_BYTES);
    }
    if (size < 0 || size > (long) chunkBytes * MAX_CHUNKS) {
      throw new IllegalArgumentException("size: must be in 0.." + (long) chunkBytes * MAX_CHUNKS);
    }
    chunks = List.copyOf(chunks);
    if (chunks.size() != chunkCount(size, chunkBytes)) {
      throw new IllegalArgumentException("chunks: " + chunkCount(size, chunkBytes) + " hashes expected for "
          + size + " bytes in chunks of " + chunkBytes + ", got " + chunks.size());
    }
    for (String c : chunks) {
      if (!isHash(c)) {
        throw new IllegalArgumentException("chunks: 64 lower-case hex digits each");
      }
    }
  }

  public int chunkCount() {
    return chunks.size();
  }

  /** Length of chunk {@code index}: {@code chunkBytes}, except a shorter last one. */
  public int chunkLength(int index) {
    if (index < 0 || index >= chunks.size()) {
      throw new IndexOutOfBoundsException(index);
    }
    return (int) Math.min(chunkBytes, size - (long) index * chunkBytes);
  }

  public long chunkOffset(int index) {
    return (long) index * chunkBytes;
  }

  static int chunkCount(long size, int chunkBytes) {
    return (int) ((size + chunkBytes - 1) / chunkBytes);
  }

  /** Reads {@code in} to its end and describes it. */
  public static Manifest of(InputStream in, int chunkBytes) throws IOException {
    MessageDigest whole = newDigest();
    List<String> hashes = new ArrayList<>();
    byte[] buf = new byte[chunkBytes];
    long size = 0;
    while (true) {
      int n = in.readNBytes(buf, 0, chunkBytes);
      if (n == 0) {
        break;
      }
      whole.update(buf, 0, n);
      MessageDigest c = newDigest();
      c.update(buf, 0, n);
      hashes.add(HexFormat.of().formatHex(c.digest()));
      size += n;
      if (n < chunkBytes) {
        break;
      }
    }
    return new Manifest(HexFormat.of().formatHex(whole.digest()), size, chunkBytes, hashes);
  }

  public static Manifest of(byte[] content, int chunkBytes) {
    try {
      return of(new java.io.ByteArrayInputStream(content), chunkBytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sha256", sha256);
    m.put("size", size);
    m.put("chunkBytes", (long) chunkBytes);
    m.put("chunks", chunks);
    return m;
  }

  public String toJson() {
    return new String(Json.write(toTree()), StandardCharsets.UTF_8);
  }

  public static Manifest fromJson(String json) throws ProtocolException {
    if (json == null || json.length() > 80L * MAX_CHUNKS + 1024) {
      throw new ProtocolException(ErrorCode.OVERSIZE, "manifest too large");
    }
    try {
      return fromTree(Json.parse(json, 2));
    } catch (Json.JsonException e) {
      throw new ProtocolException(ErrorCode.MALFORMED, "manifest is not JSON: " + e.getMessage());
    }
  }

  public static Manifest fromTree(Object tree) throws ProtocolException {
    if (!(tree instanceof Map<?, ?> m) || m.size() != 4
        || !(m.get("sha256") instanceof String sha) || !(m.get("size") instanceof Long size)
        || !(m.get("chunkBytes") instanceof Long chunkBytes) || !(m.get("chunks") instanceof List<?> chunks)) {
      throw new ProtocolException(ErrorCode.MALFORMED, "a manifest has exactly sha256, size, chunkBytes and chunks");
    }
    List<String> hashes = new ArrayList<>(chunks.size());
    for (Object c : chunks) {
      if (!(c instanceof String s)) {
        throw new ProtocolException(ErrorCode.MALFORMED, "chunk hashes are strings");
      }
      hashes.add(s);
    }
    if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
      throw new ProtocolException(ErrorCode.MALFORMED, "chunkBytes out of range");
    }
    try {
      return new Manifest(sha, size, chunkBytes.intValue(), hashes);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.MALFORMED, e.getMessage());
    }
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isHash(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}

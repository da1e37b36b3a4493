package tech.infernet.protocol.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;

/**
 * The receiving side of a transfer: which chunks have arrived and been verified. The caller
 * stores each accepted chunk at {@link Manifest#chunkOffset}; after a restart it can restore the
 * set of chunks it still holds ({@link #restore}) and tell the sender what it has ({@link
 * #have()}), so only the missing chunks are sent again. Not thread-safe.
 */
public final class TransferState {
  private final Manifest manifest;
  private final BitSet have = new BitSet();

  public TransferState(Manifest manifest) {
    this.manifest = manifest;
  }

  public Manifest manifest() {
    return manifest;
  }

  /**
   * Verifies chunk {@code index} against the manifest and marks it received. Receiving a chunk
   * twice is harmless.
   *
   * @throws ProtocolException {@code malformed} for an index or length outside the manifest,
   *     {@code chunk_mismatch} when the bytes do not hash to the manifest's value
   */
  public void accept(int index, byte[] data) throws ProtocolException {
    if (index < 0 || index >= manifest.chunkCount()) {
      throw new ProtocolException(ErrorCode.MALFORMED, "chunk index " + index + " outside 0.." + (manifest.chunkCount() - 1));
    }
    if (data.length != manifest.chunkLength(index)) {
      throw new ProtocolException(ErrorCode.MALFORMED, "chunk " + index + " has " + data.length
          + " bytes, manifest says " + manifest.chunkLength(index));
    }
    String h = HexFormat.of().formatHex(Manifest.newDigest().digest(data));
    if (!MessageDigest.isEqual(h.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        manifest.chunks().get(index).getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
      throw new ProtocolException(ErrorCode.CHUNK_MISMATCH, "chunk " + index + " does not match its SHA-256");
    }
    have.set(index);
  }

  /** Marks chunks as held without data (after a restart, for chunks re-verified on disk). */
  public void restore(Ranges held) {
    for (Ranges.Range r : held.ranges()) {
      if (r.last() >= manifest.chunkCount()) {
        throw new IllegalArgumentException("range beyond the last chunk");
      }
      have.set(r.first(), r.last() + 1);
    }
  }

  public boolean has(int index) {
    return have.get(index);
  }

  public boolean isComplete() {
    return have.cardinality() == manifest.chunkCount();
  }

  /** The chunks held, as ranges (what the receiver sends to resume). */
  public Ranges have() {
    return Ranges.of(have, manifest.chunkCount());
  }

  /** The chunks still missing, in order. */
  public List<Integer> missing() {
    List<Integer> out = new ArrayList<>();
    for (int i = have.nextClearBit(0); i < manifest.chunkCount(); i = have.nextClearBit(i + 1)) {
      out.add(i);
    }
    return out;
  }

  /** What a sender still has to send, given the receiver's {@code have}. */
  public static List<Integer> toSend(Manifest manifest, Ranges receiverHas) {
    TransferState s = new TransferState(manifest);
    s.restore(receiverHas);
    return s.missing();
  }

  /**
   * Checks the assembled content end to end: its length and its SHA-256 against the manifest.
   *
   * @throws ProtocolException {@code content_mismatch} when either differs
   */
  public void verifyContent(InputStream assembled) throws ProtocolException, IOException {
    MessageDigest d = Manifest.newDigest();
    byte[] buf = new byte[64 * 1024];
    long n = 0;
    for (int r; (r = assembled.read(buf)) > 0; ) {
      d.update(buf, 0, r);
      n += r;
    }
    if (n != manifest.size() || !HexFormat.of().formatHex(d.digest()).equals(manifest.sha256())) {
      throw new ProtocolException(ErrorCode.CONTENT_MISMATCH, "assembled content does not match the manifest");
    }
  }
}

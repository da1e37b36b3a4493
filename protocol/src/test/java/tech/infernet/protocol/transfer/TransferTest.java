package tech.infernet.protocol.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;

class TransferTest {
  private final byte[] content = new byte[10 * 1024 + 100];

  {
    new Random(42).nextBytes(content);
  }

  private byte[] chunk(Manifest m, int i) {
    return Arrays.copyOfRange(content, (int) m.chunkOffset(i), (int) m.chunkOffset(i) + m.chunkLength(i));
  }

  @Test
  void theManifestAddressesContentByItsSha256AndHashesEachChunk() throws Exception {
    Manifest m = Manifest.of(content, 1024);
    assertEquals(11, m.chunkCount());
    assertEquals(100, m.chunkLength(10));
    assertEquals(m, Manifest.of(content.clone(), 1024), "same bytes, same manifest");
    assertEquals(m, Manifest.fromJson(m.toJson()));
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Manifest.of(new byte[0], 1024).sha256());
    assertEquals(0, Manifest.of(new byte[0], 1024).chunkCount());
  }

  @Test
  void aReceiverResumesFromTheChunksItAlreadyHas() throws Exception {
    Manifest m = Manifest.of(content, 1024);
    TransferState first = new TransferState(m);
    for (int i : List.of(0, 1, 2, 5, 9)) {
      first.accept(i, chunk(m, i));
    }
    assertEquals("[Range[first=0, last=2], Range[first=5, last=5], Range[first=9, last=9]]", first.have().ranges().toString());
    // The receiver restarts, tells the sender what it has; only the rest is sent.
    Ranges have = Ranges.fromTree(first.have().toTree());
    List<Integer> toSend = TransferState.toSend(m, have);
    assertEquals(List.of(3, 4, 6, 7, 8, 10), toSend);
    TransferState resumed = new TransferState(m);
    resumed.restore(have);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (int i : toSend) {
      stream.write(ChunkFrames.encode(i, chunk(m, i)));
    }
    ByteArrayInputStream in = new ByteArrayInputStream(stream.toByteArray());
    for (ChunkFrames.Chunk c; (c = ChunkFrames.read(in, m)) != null; ) {
      resumed.accept(c.index(), c.data());
    }
    assertTrue(resumed.isComplete());
    resumed.verifyContent(new ByteArrayInputStream(content));
  }

  @Test
  void aCorruptChunkIsRefusedAndStaysMissing() throws Exception {
    Manifest m = Manifest.of(content, 1024);
    TransferState s = new TransferState(m);
    byte[] bad = chunk(m, 3);
    bad[7] ^= 1;
    assertEquals(ErrorCode.CHUNK_MISMATCH, assertThrows(ProtocolException.class, () -> s.accept(3, bad)).code());
    assertFalse(s.has(3));
    assertEquals(ErrorCode.MALFORMED, assertThrows(ProtocolException.class, () -> s.accept(3, new byte[5])).code());
    assertEquals(ErrorCode.MALFORMED, assertThrows(ProtocolException.class, () -> s.accept(11, new byte[5])).code());
  }

  @Test
  void assembledContentThatDiffersFromTheManifestIsAContentMismatch() {
    Manifest m = Manifest.of(content, 1024);
    byte[] other = content.clone();
    other[0] ^= 1;
    TransferState s = new TransferState(m);
    assertEquals(ErrorCode.CONTENT_MISMATCH, assertThrows(ProtocolException.class,
        () -> s.verifyContent(new ByteArrayInputStream(other))).code());
    assertEquals(ErrorCode.CONTENT_MISMATCH, assertThrows(ProtocolException.class,
        () -> s.verifyContent(new ByteArrayInputStream(content, 0, 100))).code());
  }

  @Test
  void framesThatLieAboutIndexOrLengthAreRefusedBeforeAllocation() throws Exception {
    Manifest m = Manifest.of(content, 1024);
    byte[] hugeLength = {0, 0, 0, 1, 0x7F, -1, -1, -1};
    assertEquals(ErrorCode.MALFORMED, assertThrows(ProtocolException.class,
        () -> ChunkFrames.read(new ByteArrayInputStream(hugeLength), m)).code());
    byte[] badIndex = ChunkFrames.encode(99, new byte[1024]);
    assertEquals(ErrorCode.MALFORMED, assertThrows(ProtocolException.class,
        () -> ChunkFrames.read(new ByteArrayInputStream(badIndex), m)).code());
    byte[] truncated = Arrays.copyOf(ChunkFrames.encode(0, chunk(m, 0)), 100);
    assertEquals(ErrorCode.MALFORMED, assertThrows(ProtocolException.class,
        () -> ChunkFrames.read(new ByteArrayInputStream(truncated), m)).code());
    assertNull(ChunkFrames.read(new ByteArrayInputStream(new byte[0]), m));
  }

  @Test
  void malformedManifestsAndRangesAreRefused() {
    Manifest m = Manifest.of(content, 1024);
    String json = m.toJson();
    for (String bad : List.of(json.replace("\"size\":10340", "\"size\":99999"), json.replace("\"chunkBytes\":1024", "\"chunkBytes\":1"),
        "{}", "[", json.replace(m.sha256(), m.sha256().toUpperCase()))) {
      assertEquals(ErrorCode.MALFORMED, assertThrows(ProtocolException.class, () -> Manifest.fromJson(bad), bad).code());
    }
    assertThrows(ProtocolException.class, () -> Ranges.fromTree(List.of(List.of(5L, 2L))));
    assertThrows(ProtocolException.class, () -> Ranges.fromTree(List.of(List.of(0L, 2L), List.of(3L, 4L))));
  }

  @Test
  void aPartialFileKeepsVerifiedChunksAcrossReopeningAndCompletesAtomically(@TempDir Path dir) throws Exception {
    Manifest m = Manifest.of(content, 1024);
    Path target = dir.resolve("content");
    ByteArrayOutputStream firstHalf = new ByteArrayOutputStream();
    for (int i = 0; i < 5; i++) {
      firstHalf.write(ChunkFrames.encode(i, chunk(m, i)));
    }
    try (PartialFile p = PartialFile.open(target, m)) {
      p.receive(new ByteArrayInputStream(firstHalf.toByteArray()));
      assertEquals(5, p.received());
      assertFalse(p.isComplete());
      assertThrows(ProtocolException.class, p::complete);
    }
    // a torn write in chunk 3 while the process died
    byte[] onDisk = Files.readAllBytes(dir.resolve("content.part"));
    onDisk[3 * 1024 + 9] ^= 1;
    Files.write(dir.resolve("content.part"), onDisk);

    try (PartialFile p = PartialFile.open(target, m)) {
      assertEquals(new Ranges(List.of(new Ranges.Range(0, 2), new Ranges.Range(4, 4))), p.have());
      ByteArrayOutputStream rest = new ByteArrayOutputStream();
      ChunkSender.send(rest, m, p.have(), ChunkSender.Content.of(content));
      p.receive(new ByteArrayInputStream(rest.toByteArray()));
      assertEquals(m.chunkCount() - 4, p.received());
      assertEquals(target, p.complete());
    }
    assertArrayEquals(content, Files.readAllBytes(target));
    assertFalse(Files.exists(dir.resolve("content.part")));
  }

  @Test
  void aBadChunkInAStreamIsReportedAfterTheGoodOnesAreKept(@TempDir Path dir) throws Exception {
    Manifest m = Manifest.of(content, 1024);
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    byte[] bad = chunk(m, 1);
    bad[0] ^= 1;
    frames.write(ChunkFrames.encode(0, chunk(m, 0)));
    frames.write(ChunkFrames.encode(1, bad));
    frames.write(ChunkFrames.encode(2, chunk(m, 2)));
    try (PartialFile p = PartialFile.open(dir.resolve("c"), m)) {
      ProtocolException e = assertThrows(ProtocolException.class, () -> p.receive(new ByteArrayInputStream(frames.toByteArray())));
      assertEquals(ErrorCode.CHUNK_MISMATCH, e.code());
      assertEquals(new Ranges(List.of(new Ranges.Range(0, 0), new Ranges.Range(2, 2))), p.have());
    }
  }

  @Test
  void envelopeFramesRefuseOversizedEmptyAndTruncatedFrames() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SessionFrames.writeEnvelope(out, new byte[] {7, 8, 9});
    assertArrayEquals(new byte[] {7, 8, 9}, SessionFrames.readEnvelope(new ByteArrayInputStream(out.toByteArray()), 3));
    assertEquals(ErrorCode.OVERSIZE, assertThrows(ProtocolException.class,
        () -> SessionFrames.readEnvelope(new ByteArrayInputStream(out.toByteArray()), 2)).code());
    assertEquals(ErrorCode.MALFORMED, assertThrows(ProtocolException.class,
        () -> SessionFrames.readEnvelope(new ByteArrayInputStream(new byte[] {0, 0, 0, 0}), 10)).code());
    assertEquals(ErrorCode.MALFORMED, assertThrows(ProtocolException.class,
        () -> SessionFrames.readEnvelope(new ByteArrayInputStream(new byte[] {0, 0, 0, 5, 1}), 10)).code());
    assertNull(SessionFrames.readEnvelope(new ByteArrayInputStream(new byte[0]), 10));
  }
}

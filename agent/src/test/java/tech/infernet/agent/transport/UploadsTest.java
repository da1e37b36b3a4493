package tech.infernet.agent.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.transfer.ChunkSender;
import tech.infernet.protocol.transfer.Manifest;
import tech.infernet.protocol.transfer.PartialFile;
import tech.infernet.protocol.transfer.Ranges;

class UploadsTest {
  private static final String KEY = "ab".repeat(32);
  @TempDir Path dir;

  private static byte[] content(int n, int seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  /** Puts content through the upload the way the agent's transfer does. */
  private static void put(Uploads uploads, String key, byte[] content) throws Exception {
    Manifest m = Manifest.of(content, Manifest.MIN_CHUNK_BYTES);
    try (PartialFile p = uploads.open(key, m)) {
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      ChunkSender.send(frames, m, p.have(), ChunkSender.Content.of(content));
      p.receive(new ByteArrayInputStream(frames.toByteArray()));
      p.complete();
    }
  }

  @Test
  void aCompleteUploadIsTakenOnceByItsOwnerOnly() throws Exception {
    Uploads uploads = new Uploads(dir);
    byte[] spec = content(3000, 1);
    String sha = Manifest.of(spec, Manifest.MIN_CHUNK_BYTES).sha256();
    put(uploads, KEY, spec);

    assertEquals(ErrorCode.NOT_FOUND, assertThrows(RequestException.class, () -> uploads.take("cd".repeat(32), sha)).code());
    assertArrayEquals(spec, uploads.take(KEY, sha));
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(RequestException.class, () -> uploads.take(KEY, sha)).code());
  }

  @Test
  void contentHeldCompleteIsReopenedWithEveryChunkAlreadyThere() throws Exception {
    Uploads uploads = new Uploads(dir);
    byte[] spec = content(3000, 2);
    Manifest m = Manifest.of(spec, Manifest.MIN_CHUNK_BYTES);
    put(uploads, KEY, spec);

    try (PartialFile again = uploads.open(KEY, m)) {
      assertEquals(new Ranges(java.util.List.of(new Ranges.Range(0, 2))), again.have());
      again.complete();
    }
    assertArrayEquals(spec, uploads.take(KEY, m.sha256()));
  }

  @Test
  void anUploadOverTheLargestSpecAndTheSeventeenthUnclaimedOneAreRefused() throws Exception {
    Uploads uploads = new Uploads(dir);
    Manifest huge = new Manifest("00".repeat(32), Uploads.MAX_BYTES + 1, Manifest.MAX_CHUNK_BYTES,
        java.util.Collections.nCopies(1, "00".repeat(32)));
    assertEquals(ErrorCode.OVERSIZE, assertThrows(RequestException.class, () -> uploads.open(KEY, huge)).code());
    for (int i = 0; i < Uploads.MAX_PER_KEY; i++) {
      put(uploads, KEY, content(100, 10 + i));
    }
    Manifest one = Manifest.of(content(100, 99), Manifest.MIN_CHUNK_BYTES);
    assertEquals(ErrorCode.QUOTA_EXCEEDED, assertThrows(RequestException.class, () -> uploads.open(KEY, one)).code());
    uploads.open("cd".repeat(32), one).close(); // another key has its own room
  }

  @Test
  void theSweepRemovesWhatNobodyClaimedForADay() throws Exception {
    Uploads uploads = new Uploads(dir);
    byte[] old = content(100, 3);
    byte[] fresh = content(100, 4);
    put(uploads, KEY, old);
    put(uploads, KEY, fresh);
    Path oldFile = dir.resolve(KEY).resolve(Manifest.of(old, Manifest.MIN_CHUNK_BYTES).sha256());
    Files.setLastModifiedTime(oldFile, FileTime.from(Instant.now().minus(Duration.ofHours(25))));

    uploads.sweep();

    assertFalse(Files.exists(oldFile));
    assertTrue(Files.exists(dir.resolve(KEY).resolve(Manifest.of(fresh, Manifest.MIN_CHUNK_BYTES).sha256())));
  }
}

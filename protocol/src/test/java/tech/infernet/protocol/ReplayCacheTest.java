package tech.infernet.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCacheTest {
  @TempDir
  Path dir;

  private final byte[] sender = Fixtures.key(1).publicKey();

  @Test
  void aFileCacheRemembersNoncesAcrossARestart() throws Exception {
    Path f = dir.resolve("replay.bin");
    try (FileReplayCache c = FileReplayCache.open(f, 100, true, 1000)) {
      assertEquals(ReplayCache.Result.FRESH, c.checkAndRecord(sender, Fixtures.nonce(1), 5000, 1000));
      assertEquals(ReplayCache.Result.FRESH, c.checkAndRecord(sender, Fixtures.nonce(2), 1500, 1000));
    }
    try (FileReplayCache c = FileReplayCache.open(f, 100, true, 2000)) {
      assertEquals(1, c.size(), "the entry that expired at 1500 is not loaded at 2000");
      assertEquals(ReplayCache.Result.REPLAYED, c.checkAndRecord(sender, Fixtures.nonce(1), 5000, 2000));
      assertEquals(ReplayCache.Result.FRESH, c.checkAndRecord(sender, Fixtures.nonce(2), 5000, 2000));
    }
  }

  @Test
  void aReceiverRestartedOnTheSameFileStillRefusesTheReplay() throws Exception {
    Path f = dir.resolve("replay.bin");
    KeyPair alice = Fixtures.key(1);
    KeyPair bob = Fixtures.key(101);
    byte[] bin = EnvelopeCodec.toBinary(Envelope.seal(alice, bob.publicKey(), MessageType.JOB_LIST,
        Fixtures.T0, Fixtures.nonce(3), "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8)));
    try (FileReplayCache c = FileReplayCache.open(f, 100, true, Fixtures.T0)) {
      new Receiver(bob, c, Fixtures.clockAt(Fixtures.T0), Receiver.Options.DEFAULT).open(bin);
    }
    try (FileReplayCache c = FileReplayCache.open(f, 100, true, Fixtures.T0)) {
      Receiver r = new Receiver(bob, c, Fixtures.clockAt(Fixtures.T0 + 1000), Receiver.Options.DEFAULT);
      assertEquals(ErrorCode.REPLAYED, assertThrows(ProtocolException.class, () -> r.open(bin)).code());
    }
  }

  @Test
  void aTornRecordAtTheEndIsDroppedOnLoad() throws Exception {
    Path f = dir.resolve("replay.bin");
    try (FileReplayCache c = FileReplayCache.open(f, 100, false, 0)) {
      c.checkAndRecord(sender, Fixtures.nonce(1), 9000, 0);
      c.checkAndRecord(sender, Fixtures.nonce(2), 9000, 0);
    }
    long full = Files.size(f);
    try (var ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(full - 10);
    }
    try (FileReplayCache c = FileReplayCache.open(f, 100, false, 0)) {
      assertEquals(1, c.size());
      assertEquals(full - FileReplayCache.RECORD_BYTES, Files.size(f));
      assertEquals(ReplayCache.Result.FRESH, c.checkAndRecord(sender, Fixtures.nonce(2), 9000, 0));
    }
    try (FileReplayCache c = FileReplayCache.open(f, 100, false, 0)) {
      assertEquals(2, c.size());
    }
  }

  @Test
  void theFileIsCompactedSoItStaysBounded() throws Exception {
    Path f = dir.resolve("replay.bin");
    try (FileReplayCache c = FileReplayCache.open(f, 10, false, 0)) {
      for (int i = 0; i < 10_000; i++) {
        byte[] n = Fixtures.nonce(0);
        n[0] = (byte) i;
        n[1] = (byte) (i >> 8);
        assertEquals(ReplayCache.Result.FRESH, c.checkAndRecord(sender, n, i + 5, i));
      }
      assertTrue(c.size() <= 10);
      assertTrue(c.fileRecords() < 5000, "records in file: " + c.fileRecords());
    }
    assertTrue(Files.size(f) < 5000L * FileReplayCache.RECORD_BYTES);
  }

  @Test
  void aFileThatIsNotACacheIsRefused() throws IOException {
    Path f = dir.resolve("other.bin");
    Files.writeString(f, "hello world, not a cache");
    assertThrows(IOException.class, () -> FileReplayCache.open(f, 10));
  }

  @Test
  void theMemoryCacheIsBoundedByItsCapacity() {
    InMemoryReplayCache c = new InMemoryReplayCache(2);
    assertEquals(ReplayCache.Result.FRESH, c.checkAndRecord(sender, Fixtures.nonce(1), 100, 0));
    assertEquals(ReplayCache.Result.FRESH, c.checkAndRecord(sender, Fixtures.nonce(2), 200, 0));
    assertEquals(ReplayCache.Result.FULL, c.checkAndRecord(sender, Fixtures.nonce(3), 200, 50));
    assertEquals(ReplayCache.Result.FRESH, c.checkAndRecord(sender, Fixtures.nonce(3), 200, 101));
    assertEquals(ReplayCache.Result.REPLAYED, c.checkAndRecord(sender, Fixtures.nonce(2), 200, 101));
  }
}

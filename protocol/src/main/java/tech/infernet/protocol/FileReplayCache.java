package tech.infernet.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * A {@link ReplayCache} that survives restart: the in-memory cache plus an append-only file of
 * fixed 68-byte records (sender 32, nonce 24, expiry ms 8 big-endian, CRC-32 of those 64 bytes
 * 4). A torn record at the end (a crash mid-write) is dropped on load; expired records are
 * skipped; the file is rewritten with only live entries when it grows past twice their number.
 * With {@code sync} (the default) each record is forced to disk before {@code FRESH} is
 * answered, so a replay is caught even after a power loss; without it, after a process crash.
 */
public final class FileReplayCache implements ReplayCache {
  private static final byte[] MAGIC = {'I', 'E', 'R', 'C', 0, 0, 0, 1};
  static final int RECORD_BYTES = 56 + 8 + 4;
  private static final int COMPACT_SLACK = 4096;

  private final Path file;
  private final boolean sync;
  private final InMemoryReplayCache memory;
  private FileChannel channel;
  private long records;

  private FileReplayCache(Path file, int capacity, boolean sync) {
    this.file = file;
    this.sync = sync;
    this.memory = new InMemoryReplayCache(capacity);
  }

  /** Opens (or creates) the cache file, keeping unexpired entries; fsyncs every new entry. */
  public static FileReplayCache open(Path file, int capacity) throws IOException {
    return open(file, capacity, true, System.currentTimeMillis());
  }

  /** As {@link #open(Path, int)}, choosing whether to fsync and what "now" is for the load. */
  public static FileReplayCache open(Path file, int capacity, boolean sync, long nowMs) throws IOException {
    FileReplayCache c = new FileReplayCache(file, capacity, sync);
    c.load(nowMs);
    return c;
  }

  private void load(long nowMs) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    long size = channel.size();
    if (size == 0) {
      channel.write(ByteBuffer.wrap(MAGIC), 0);
      force();
      channel.position(MAGIC.length);
      return;
    }
    ByteBuffer head = ByteBuffer.allocate(MAGIC.length);
    readFully(head, 0);
    if (head.position() != MAGIC.length || !head.flip().equals(ByteBuffer.wrap(MAGIC))) {
      throw new IOException(file + " is not a replay cache file");
    }
    long pos = MAGIC.length;
    ByteBuffer rec = ByteBuffer.allocate(RECORD_BYTES);
    while (pos + RECORD_BYTES <= size) {
      rec.clear();
      readFully(rec, pos);
      if (!validRecord(rec.array())) {
        break;
      }
      byte[] key = new byte[56];
      System.arraycopy(rec.array(), 0, key, 0, 56);
      long expiry = ByteBuffer.wrap(rec.array(), 56, 8).getLong();
      if (!memory.restore(ByteBuffer.wrap(key).asReadOnlyBuffer(), expiry, nowMs)) {
        throw new IOException(file + " holds more unexpired entries than the capacity");
      }
      records++;
      pos += RECORD_BYTES;
    }
    if (pos < size) {
      channel.truncate(pos);
      force();
    }
    channel.position(pos);
  }

  @Override
  public synchronized Result checkAndRecord(byte[] sender, byte[] nonce, long expiresAtMs, long nowMs)
      throws IOException {
    if (channel == null) {
      throw new IOException("replay cache is closed");
    }
    Result r = memory.checkAndRecord(sender, nonce, expiresAtMs, nowMs);
    if (r != Result.FRESH) {
      return r;
    }
    ByteBuffer rec = ByteBuffer.allocate(RECORD_BYTES);
    rec.put(sender).put(nonce).putLong(expiresAtMs);
    CRC32 crc = new CRC32();
    crc.update(rec.array(), 0, 64);
    rec.putInt((int) crc.getValue());
    rec.flip();
    while (rec.hasRemaining()) {
      channel.write(rec);
    }
    force();
    records++;
    if (records > 2L * memory.size() + COMPACT_SLACK) {
      compact(nowMs);
    }
    return Result.FRESH;
  }

  /** Rewrites the file with only the live entries (atomic rename). */
  synchronized void compact(long nowMs) throws IOException {
    memory.purge(nowMs);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    long[] n = {0};
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + RECORD_BYTES * 1024);
      buf.put(MAGIC);
      IOException[] failed = {null};
      memory.forEach((key, expiry) -> {
        if (failed[0] != null) {
          return;
        }
        try {
          if (buf.remaining() < RECORD_BYTES) {
            buf.flip();
            while (buf.hasRemaining()) {
              out.write(buf);
            }
            buf.clear();
          }
          byte[] rec = new byte[RECORD_BYTES];
          key.duplicate().get(rec, 0, 56);
          ByteBuffer.wrap(rec, 56, 8).putLong(expiry);
          CRC32 crc = new CRC32();
          crc.update(rec, 0, 64);
          ByteBuffer.wrap(rec, 64, 4).putInt((int) crc.getValue());
          buf.put(rec);
          n[0]++;
        } catch (IOException e) {
          failed[0] = e;
        }
      });
      if (failed[0] != null) {
        throw failed[0];
      }
      buf.flip();
      while (buf.hasRemaining()) {
        out.write(buf);
      }
      out.force(true);
    }
    channel.close();
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    channel.position(channel.size());
    records = n[0];
  }

  /** Records in the file now (live or expired). */
  synchronized long fileRecords() {
    return records;
  }

  @Override
  public synchronized int size() {
    return memory.size();
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private void force() throws IOException {
    if (sync) {
      channel.force(false);
    }
  }

  private void readFully(ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = channel.read(b, pos + b.position());
      if (n < 0) {
        return;
      }
    }
  }

  private static boolean validRecord(byte[] rec) {
    CRC32 crc = new CRC32();
    crc.update(rec, 0, 64);
    return ByteBuffer.wrap(rec, 64, 4).getInt() == (int) crc.getValue();
  }
}

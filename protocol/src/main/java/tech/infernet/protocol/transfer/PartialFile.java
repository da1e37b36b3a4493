package tech.infernet.protocol.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;

/**
 * Content arriving in chunks into {@code <target>.part}, kept across interruptions and restarts:
 * opening it again re-verifies, against the manifest, the chunks already on disk, so a resume
 * asks only for the others ({@link #have()}). When every chunk is there, {@link #complete()}
 * checks the whole content, syncs it and moves it to {@code target} in one step.
 */
public final class PartialFile implements AutoCloseable {
  private final Path target;
  private final Path part;
  private final TransferState state;
  private final FileChannel channel;
  private int received;

  private PartialFile(Path target, Path part, TransferState state, FileChannel channel) {
    this.target = target;
    this.part = part;
    this.state = state;
    this.channel = channel;
  }

  /** Opens (or starts) the partial content of manifest that is to end up at target. */
  public static PartialFile open(Path target, Manifest manifest) throws IOException {
    Path part = target.resolveSibling(target.getFileName() + ".part");
    Files.createDirectories(target.toAbsolutePath().getParent());
    FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    TransferState state = new TransferState(manifest);
    long onDisk = channel.size();
    for (int i = 0; i < manifest.chunkCount(); i++) {
      int length = manifest.chunkLength(i);
      long offset = manifest.chunkOffset(i);
      if (offset + length > onDisk) {
        break;
      }
      ByteBuffer buf = ByteBuffer.allocate(length);
      while (buf.hasRemaining() && channel.read(buf, offset + buf.position()) > 0) {
        // read the whole chunk
      }
      try {
        state.accept(i, buf.array());
      } catch (ProtocolException notThere) {
        // a hole or a torn write: the chunk is asked for again
      }
    }
    return new PartialFile(target, part, state, channel);
  }

  public Manifest manifest() {
    return state.manifest();
  }

  /** The chunks held and verified. */
  public Ranges have() {
    return state.have();
  }

  /** How many chunks are still missing. */
  public int missingCount() {
    return state.missing().size();
  }

  public boolean isComplete() {
    return state.isComplete();
  }

  /** Chunk frames read by {@link #receive} since opening (kept, repeated or refused). */
  public int received() {
    return received;
  }

  /**
   * Reads chunk frames until the stream ends, keeping each chunk that verifies.
   *
   * @throws ProtocolException {@code malformed} for a frame outside the manifest (reading stops);
   *     {@code chunk_mismatch} at the end when a chunk did not verify and is still missing
   */
  public void receive(InputStream in) throws IOException, ProtocolException {
    ProtocolException mismatch = null;
    ChunkFrames.Chunk chunk;
    while ((chunk = ChunkFrames.read(in, state.manifest())) != null) {
      received++;
      if (state.has(chunk.index())) {
        continue;
      }
      try {
        state.accept(chunk.index(), chunk.data());
      } catch (ProtocolException e) {
        mismatch = mismatch == null ? e : mismatch;
        continue;
      }
      ByteBuffer buf = ByteBuffer.wrap(chunk.data());
      long offset = state.manifest().chunkOffset(chunk.index());
      while (buf.hasRemaining()) {
        channel.write(buf, offset + buf.position());
      }
    }
    if (mismatch != null && !state.isComplete()) {
      throw mismatch;
    }
  }

  /**
   * Verifies the whole content against the manifest, makes it durable and moves it to the target.
   *
   * @throws ProtocolException {@code malformed} while chunks are missing, {@code content_mismatch}
   *     when the assembled content does not hash to the manifest (the partial file is discarded)
   */
  public Path complete() throws IOException, ProtocolException {
    if (!state.isComplete()) {
      throw new ProtocolException(ErrorCode.MALFORMED, "chunks missing: " + state.missing().size());
    }
    channel.truncate(state.manifest().size());
    channel.force(true);
    try {
      state.verifyContent(Channels.newInputStream(channel.position(0)));
    } catch (ProtocolException e) {
      channel.close();
      Files.deleteIfExists(part);
      throw e;
    }
    channel.close();
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

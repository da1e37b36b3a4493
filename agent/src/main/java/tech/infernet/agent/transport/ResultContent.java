package tech.infernet.agent.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import tech.infernet.agent.store.StoredResult;
import tech.infernet.protocol.transfer.ChunkSender;
import tech.infernet.protocol.transfer.Manifest;

/**
 * A stored result as transfer content: its manifest (hashing a large file once, then remembered
 * by SHA-256 for resumes) and its bytes by offset, from the database row or the results file.
 */
final class ResultContent {
  private static final int REMEMBERED = 64;
  private final Map<String, Manifest> manifests = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Manifest> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** The manifest of result, at the default chunk size. */
  Manifest manifest(StoredResult result) throws IOException {
    synchronized (manifests) {
      Manifest known = manifests.get(result.sha256());
      if (known != null) {
        return known;
      }
    }
    Manifest made;
    if (result.inline() != null) {
      made = Manifest.of(result.inline(), Manifest.DEFAULT_CHUNK_BYTES);
    } else {
      try (InputStream in = Files.newInputStream(Path.of(result.path()))) {
        made = Manifest.of(in, Manifest.DEFAULT_CHUNK_BYTES);
      }
    }
    if (!made.sha256().equals(result.sha256()) || made.size() != result.size()) {
      throw new IOException("the result of job " + result.jobId() + " on disk no longer matches its stored SHA-256");
    }
    synchronized (manifests) {
      manifests.put(made.sha256(), made);
    }
    return made;
  }

  /** Reads the result's bytes; close the returned content's file with {@link Open#close()}. */
  Open open(StoredResult result) throws IOException {
    if (result.inline() != null) {
      return new Open(ChunkSender.Content.of(result.inline()), null);
    }
    FileChannel file = FileChannel.open(Path.of(result.path()), StandardOpenOption.READ);
    return new Open((offset, length) -> {
      ByteBuffer buf = ByteBuffer.allocate(length);
      while (buf.hasRemaining()) {
        if (file.read(buf, offset + buf.position()) < 0) {
          throw new IOException("result file shorter than its manifest");
        }
      }
      return buf.array();
    }, file);
  }

  /** Open content and the file behind it, if any. */
  record Open(ChunkSender.Content content, FileChannel file) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (file != null) {
        file.close();
      }
    }
  }
}

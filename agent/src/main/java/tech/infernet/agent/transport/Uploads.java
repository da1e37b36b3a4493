package tech.infernet.agent.transport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.spec.JobSpecs;
import tech.infernet.protocol.transfer.Manifest;
import tech.infernet.protocol.transfer.PartialFile;

/**
 * Content keys put through transfers (job specs too large for an envelope), one directory per
 * key so that nobody can name, probe or consume another key's upload: {@code
 * uploads/<key>/<sha256>} when complete, {@code .part} while arriving. A job.submit that names
 * an upload consumes it; what nobody claims is removed after a day.
 */
final class Uploads {
  /** A spec is at most {@link JobSpecs#MAX_CHARS} characters, so at most 4 bytes each. */
  static final long MAX_BYTES = 4L * JobSpecs.MAX_CHARS;
  static final int MAX_PER_KEY = 16;
  private static final Duration UNCLAIMED = Duration.ofDays(1);
  private final Path root;

  Uploads(Path root) {
    this.root = root;
  }

  /** Opens (or resumes) keyHex's upload of manifest, within the size and count limits. */
  PartialFile open(String keyHex, Manifest manifest) throws IOException, RequestException {
    if (manifest.size() > MAX_BYTES) {
      throw new RequestException(ErrorCode.OVERSIZE, "an upload is at most " + MAX_BYTES + " bytes (a job spec)",
          "manifest.size", null);
    }
    Path dir = root.resolve(keyHex);
    Files.createDirectories(dir);
    Path target = dir.resolve(manifest.sha256());
    Path part = dir.resolve(manifest.sha256() + ".part");
    if (!Files.exists(target) && !Files.exists(part)) {
      try (Stream<Path> held = Files.list(dir)) {
        if (held.count() >= MAX_PER_KEY) {
          throw new RequestException(ErrorCode.QUOTA_EXCEEDED,
              "this key holds " + MAX_PER_KEY + " uploads not yet submitted; submit or wait a day");
        }
      }
    }
    if (Files.isRegularFile(target) && !Files.exists(part)) {
      // Put again while held complete: reopened as a partial file, whose chunks all verify, so
      // nothing is sent again and completing it puts it back.
      Files.move(target, part, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return PartialFile.open(target, manifest);
  }

  /** keyHex's complete upload sha256, read and removed. */
  byte[] take(String keyHex, String sha256) throws IOException, RequestException {
    Path file = root.resolve(keyHex).resolve(sha256);
    if (!Files.isRegularFile(file)) {
      throw new RequestException(ErrorCode.NOT_FOUND,
          "no complete upload " + sha256 + " from this key; put it with transfer.open first", "specSha256", null);
    }
    byte[] bytes = Files.readAllBytes(file);
    Files.deleteIfExists(file);
    return bytes;
  }

  /** Removes uploads (complete or partial) untouched for a day. */
  void sweep() {
    if (!Files.isDirectory(root)) {
      return;
    }
    FileTime cutoff = FileTime.from(Instant.now().minus(UNCLAIMED));
    try (DirectoryStream<Path> keys = Files.newDirectoryStream(root)) {
      for (Path key : keys) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(key)) {
          for (Path f : files) {
            if (Files.getLastModifiedTime(f).compareTo(cutoff) < 0) {
              Files.deleteIfExists(f);
            }
          }
        }
      }
    } catch (IOException e) {
      System.getLogger(Uploads.class.getName()).log(System.Logger.Level.WARNING, "sweeping uploads: " + e.getMessage());
    }
  }
}

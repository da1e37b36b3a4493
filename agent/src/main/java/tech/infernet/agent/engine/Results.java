package tech.infernet.agent.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.store.StoredResult;

/**
 * Reads a job's {@code /work/result} file for the store: inline when small, else moved to the
 * results directory as a file (linked there). The engine stores it with the job's terminal state.
 */
final class Results {
  /** A result to store (or none) and, when the job must fail because of it, why. */
  record Collected(StoredResult result, String problem) {
    /** Undoes the move of a file result whose terminal write lost to a cancel or timeout. */
    void discard() {
      if (result != null && result.path() != null) {
        try {
          Files.deleteIfExists(Path.of(result.path()));
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  static final Collected NONE = new Collected(null, null);

  private Results() {}

  static Collected collect(EngineConfig cfg, JobId id, Path workDir) throws Exception {
    Path f = workDir.resolve("result");
    if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
      return NONE;
    }
    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
      return new Collected(null, "result is not a regular file");
    }
    long size = Files.size(f);
    if (size > cfg.resultMax()) {
      return new Collected(null, "result of " + size + " bytes is above the cap of " + cfg.resultMax() + " bytes");
    }
    String sha = sha256(f);
    if (size <= cfg.inlineResultMax()) {
      return new Collected(new StoredResult(id.value(), Files.readAllBytes(f), null, sha, size), null);
    }
    Files.createDirectories(cfg.resultsDir());
    Path dest = cfg.resultsDir().resolve(id.value());
    // A link (or copy), not a move: until the terminal state is stored, the work dir keeps the
    // file, so a crash in between loses nothing and the next attempt collects it again.
    Files.deleteIfExists(dest);
    try {
      Files.createLink(dest, f);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
    }
    return new Collected(new StoredResult(id.value(), null, dest.toString(), sha, size), null);
  }

  static String sha256(Path f) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static void deleteTree(Path p) {
    try {
      Files.deleteIfExists(p); // the common case: an empty dir (or none)
      return;
    } catch (IOException notEmpty) {
      // walk it
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.deleteIfExists(x);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}

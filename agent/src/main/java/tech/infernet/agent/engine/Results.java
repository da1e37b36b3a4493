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
import tech.infernet.agent.store.Store;
import tech.infernet.agent.store.StoredResult;

/** Moves a job's {@code /work/result} file into the store: inline when small, else as a file. */
final class Results {
  private Results() {}

  /** Returns null when fine (or no result), else why the job must fail. */
  static String collect(Store store, EngineConfig cfg, JobId id, Path workDir) throws Exception {
    Path f = workDir.resolve("result");
    if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
      return "result is not a regular file";
    }
    long size = Files.size(f);
    if (size > cfg.resultMax()) {
      return "result of " + size + " bytes is above the cap of " + cfg.resultMax() + " bytes";
    }
    String sha = sha256(f);
    if (size <= cfg.inlineResultMax()) {
      store.putResult(new StoredResult(id.value(), Files.readAllBytes(f), null, sha, size)).join();
    } else {
      Files.createDirectories(cfg.resultsDir());
      Path dest = cfg.resultsDir().resolve(id.value());
      Files.move(f, dest, StandardCopyOption.REPLACE_EXISTING);
      store.putResult(new StoredResult(id.value(), null, dest.toString(), sha, size)).join();
    }
    return null;
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
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
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

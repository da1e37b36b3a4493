package tech.infernet.nkn.devnet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the repository root: the folder that holds {@code scripts/devnet.sh}. */
final class RepoRoot {
  static final String PROPERTY = "infernet.repo.dir";
  static final Path DEVNET_SCRIPT = Path.of("scripts", "devnet.sh");

  private RepoRoot() {}

  /**
   * Looks upwards from {@code -Dinfernet.repo.dir} (failsafe sets it), then from the working
   * directory, so the tests also run from an IDE.
   */
  static Path find() {
    List<Path> starts = new ArrayList<>();
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      starts.add(Path.of(property));
    }
    starts.add(Path.of(System.getProperty("user.dir")));
    for (Path start : starts) {
      for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve(DEVNET_SCRIPT))) {
          return dir;
        }
      }
    }
    throw new IllegalStateException("cannot find " + DEVNET_SCRIPT + " above " + starts
        + "; set -D" + PROPERTY + "=<repository root>");
  }
}

package tech.infernet.agent.hardware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Test fixtures under src/test/resources/hardware (see the README there for their sources). */
final class Fixtures {
  private Fixtures() {}

  static Path dir(String rel) {
    try {
      return Path.of(Fixtures.class.getResource("/hardware/" + rel).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing fixture " + rel, e);
    }
  }

  static String text(String rel) {
    try {
      return Files.readString(dir(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> fields(String rel) {
    return List.of(text(rel).strip().split(","));
  }

  /** A recorded machine: its file tree as root, its recorded command outputs as the programs. */
  static Host machine(String name, String arch) {
    Path m = dir("machines/" + name);
    Path root = m.resolve("root");
    return new Host(Files.isDirectory(root) ? root : m, new RecordedCommands(m.resolve("commands")), arch,
        Duration.ofSeconds(2), List.of(m));
  }

  /**
   * Programs replayed from files: {@code nvidia-smi-inventory.txt} answers the inventory query,
   * {@code nvidia-smi.txt} the plain table, {@code nvpmodel-q.txt} {@code nvpmodel -q}; a
   * {@code .exit} file next to one makes it fail with that status. No file: not on the PATH.
   */
  static final class RecordedCommands implements Commands {
    private final Path dir;

    RecordedCommands(Path dir) {
      this.dir = dir;
    }

    static String key(List<String> argv) {
      if (argv.equals(NvidiaSmi.argv(NvidiaSmi.INVENTORY))) {
        return "nvidia-smi-inventory";
      }
      if (argv.equals(NvidiaSmi.argv(NvidiaSmi.INVENTORY_OLD))) {
        return "nvidia-smi-inventory-old";
      }
      if (argv.equals(NvidiaSmi.argv(NvidiaSmi.TELEMETRY))) {
        return "nvidia-smi-telemetry";
      }
      return String.join("-", argv).replace("--", "-");
    }

    @Override
    public boolean exists(String program) {
      if (!Files.isDirectory(dir)) {
        return false;
      }
      try (var s = Files.list(dir)) {
        return s.anyMatch(p -> p.getFileName().toString().startsWith(program));
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public Probed<String> run(Duration timeout, List<String> argv) {
      if (!exists(argv.get(0))) {
        return Probed.unavailable(argv.get(0) + " not found on PATH");
      }
      Path out = dir.resolve(key(argv) + ".txt");
      Path exit = dir.resolve(key(argv) + ".exit");
      try {
        if (!Files.exists(out)) {
          return Probed.unavailable(argv.get(0) + " exited with 2: no recording for " + argv);
        }
        String text = Files.readString(out);
        if (Files.exists(exit)) {
          return Probed.unavailable(argv.get(0) + " exited with " + Files.readString(exit).strip() + ": "
              + text.strip().split("\n")[0]);
        }
        return Probed.ok(text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

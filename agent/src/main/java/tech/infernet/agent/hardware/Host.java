package tech.infernet.agent.hardware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The machine the probes look at: a filesystem root (normally "/", a fixture directory in tests),
 * a way to run programs, the CPU architecture, and the per-command timeout.
 */
public record Host(Path root, Commands commands, String arch, Duration commandTimeout, List<Path> storagePaths) {

  public Host {
    storagePaths = List.copyOf(storagePaths);
  }

  /** This machine: real root, programs from $PATH, 5 s per command. */
  public static Host local(Path stateDir) {
    String home = System.getProperty("user.home");
    return new Host(Path.of("/"), ProcessCommands.system(), normalizeArch(System.getProperty("os.arch")),
        Duration.ofSeconds(5), List.of(stateDir, Path.of("/var/lib/containers/storage"),
        Path.of(home, ".local/share/containers/storage"), Path.of("/var/lib/docker")));
  }

  public Host withCommands(Commands c, Duration timeout) {
    return new Host(root, c, arch, timeout, storagePaths);
  }

  /** The file at an absolute path of the probed machine ("/proc/cpuinfo" under root). */
  public Path file(String absolute) {
    return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
  }

  /** File contents, or null when missing or unreadable. */
  public String read(String absolute) {
    try {
      return Files.readString(file(absolute), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  public Probed<String> run(String... argv) {
    return commands.run(commandTimeout, List.of(argv));
  }

  static String normalizeArch(String a) {
    if (a == null) {
      return "unknown";
    }
    return switch (a) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      default -> a;
    };
  }
}

package tech.infernet.agent.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Builds the offline test image {@value #NAME} from the busybox-static binary (no registry is
 * reachable): a root with /bin/busybox and one symlink per applet, imported with podman import.
 * Idempotent: does nothing when the image exists.
 */
public final class TestImage {
  public static final String NAME = "localhost/infernet-test-busybox:1";
  /** This test JVM's container instance label: other runs on the host have other ones. */
  public static final String INSTANCE = "test-" + Long.toHexString(new java.security.SecureRandom().nextLong() >>> 1);

  private TestImage() {}

  public static synchronized String ensure() throws Exception {
    if (Proc.run(List.of("podman", "image", "exists", NAME), Duration.ofSeconds(30)).ok()) {
      return NAME;
    }
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isRegularFile(busybox)) {
      throw new IllegalStateException("/bin/busybox missing: run scripts/install-deps.sh");
    }
    Path root = Files.createTempDirectory("infernet-rootfs");
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("work"));
    Files.createDirectories(root.resolve("tmp"));
    Files.copy(busybox, bin.resolve("busybox"));
    Proc.Result list = Proc.run(List.of(busybox.toString(), "--list"), Duration.ofSeconds(10));
    for (String applet : list.out().split("\\s+")) {
      if (!applet.isBlank() && !applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Path tar = root.resolveSibling(root.getFileName() + ".tar");
    check(Proc.run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."), Duration.ofSeconds(60)));
    check(Proc.run(List.of("podman", "import", tar.toString(), NAME), Duration.ofSeconds(120)));
    Files.delete(tar);
    return NAME;
  }

  private static void check(Proc.Result r) {
    if (!r.ok()) {
      throw new IllegalStateException("building the test image failed: " + r.err());
    }
  }

  /**
   * Job containers still there after waiting up to {@code settle} for them to go (the engine
   * removes a job's container right after storing its terminal state).
   */
  public static List<String> jobContainersAfter(java.time.Duration settle) throws Exception {
    long end = System.nanoTime() + settle.toNanos();
    List<String> left = jobContainers(INSTANCE);
    while (!left.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(100);
      left = jobContainers(INSTANCE);
    }
    return left;
  }

  /** Names of one agent instance's job containers (to check that none are left behind). */
  public static List<String> jobContainers(String instance) throws Exception {
    Proc.Result r = Proc.run(List.of("podman", "ps", "--all", "--filter", "label=infernet.job",
        "--filter", "label=infernet.agent=" + instance, "--format", "{{.Names}}"), Duration.ofSeconds(30));
    return r.out().lines().filter(s -> !s.isBlank()).toList();
  }
}

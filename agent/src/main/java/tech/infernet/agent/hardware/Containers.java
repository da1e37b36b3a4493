package tech.infernet.agent.hardware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Container engines and NVIDIA tooling on the PATH, and whether GPUs can be passed into containers:
 * a CDI spec of kind {@code nvidia.com/gpu} (Podman, Docker 25+), or the {@code nvidia} runtime
 * registered with Docker or Podman (the usual Jetson setup).
 */
public record Containers(List<String> engines, List<String> nvidiaTools, List<String> cdiSpecs,
                         boolean dockerNvidiaRuntime, boolean podmanNvidiaRuntime) {
  public Containers {
    engines = List.copyOf(engines);
    nvidiaTools = List.copyOf(nvidiaTools);
    cdiSpecs = List.copyOf(cdiSpecs);
  }

  private static final Pattern CDI_KIND = Pattern.compile("[\"']?kind[\"']?\\s*:\\s*[\"']?nvidia\\.com/gpu[\"']?");
  private static final Pattern RUNTIME_NVIDIA = Pattern.compile("(?m)^\\s*[\"']?nvidia[\"']?\\s*[:=]");

  /** How a job container would get the GPU: "cdi", "nvidia-runtime" or "none". */
  public String gpuPassthrough() {
    if (!cdiSpecs.isEmpty()) {
      return "cdi";
    }
    return dockerNvidiaRuntime || podmanNvidiaRuntime ? "nvidia-runtime" : "none";
  }

  static Probed<Containers> probe(Host host) {
    List<String> engines = new ArrayList<>();
    for (String e : List.of("podman", "docker")) {
      if (host.commands().exists(e)) {
        engines.add(e);
      }
    }
    List<String> tools = new ArrayList<>();
    for (String t : List.of("nvidia-ctk", "nvidia-container-runtime", "nvidia-container-cli")) {
      if (host.commands().exists(t)) {
        tools.add(t);
      }
    }
    List<String> specs = new ArrayList<>();
    for (String dir : List.of("/etc/cdi", "/var/run/cdi")) {
      Path d = host.file(dir);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> s = Files.list(d)) {
        s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
                || p.toString().endsWith(".json"))
            .sorted()
            .forEach(p -> {
              try {
                if (CDI_KIND.matcher(Files.readString(p)).find()) {
                  specs.add(dir + "/" + p.getFileName());
                }
              } catch (IOException | RuntimeException ignored) {
                // unreadable spec: not counted
              }
            });
      } catch (IOException ignored) {
        // unreadable directory: no specs from it
      }
    }
    String daemon = host.read("/etc/docker/daemon.json");
    boolean docker = daemon != null && daemon.contains("\"runtimes\"") && RUNTIME_NVIDIA.matcher(daemon).find();
    boolean podman = false;
    for (String f : List.of("/etc/containers/containers.conf", "/usr/share/containers/containers.conf")) {
      String c = host.read(f);
      if (c != null && c.contains("[engine.runtimes]") && RUNTIME_NVIDIA.matcher(
          c.substring(c.indexOf("[engine.runtimes]"))).find()) {
        podman = true;
      }
    }
    return Probed.ok(new Containers(engines, tools, specs, docker, podman));
  }
}

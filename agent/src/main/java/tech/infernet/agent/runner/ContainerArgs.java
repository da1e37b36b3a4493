package tech.infernet.agent.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobSpec;

/** Builds engine argv lists. The job's args go after the image as separate elements. */
final class ContainerArgs {
  static final String LABEL = "infernet.job";
  static final String AGENT_LABEL = "infernet.agent";

  private ContainerArgs() {}

  static String name(JobId id) {
    return "infernet-" + id.value().toLowerCase(Locale.ROOT);
  }

  /** Global flags that go before the subcommand (Podman's --runtime is global). */
  static List<String> base(ContainerConfig cfg) {
    List<String> a = new ArrayList<>();
    a.add(cfg.binary());
    if (cfg.isPodman()) {
      String runtime = cfg.gpuMode().equals("jetson") ? "nvidia" : cfg.runtime();
      if (!runtime.isEmpty()) {
        a.add("--runtime");
        a.add(runtime);
      }
    }
    return a;
  }

  /**
   * The job's one {@code run}: creates and starts the hardened, labelled container with its output
   * attached (no {@code --rm}: the exited container is kept until the job's end is stored, since a
   * restarted agent reads the exit code from it).
   */
  static List<String> run(ContainerConfig cfg, Job job, Path workDir, OptionalInt gpu) {
    JobSpec s = job.spec();
    List<String> a = base(cfg);
    a.add("run");
    if (!cfg.isPodman()) {
      String runtime = cfg.gpuMode().equals("jetson") ? "nvidia" : cfg.runtime();
      if (!runtime.isEmpty()) {
        a.add("--runtime");
        a.add(runtime);
      }
    }
    add(a, "--name", name(job.id()));
    add(a, "--label", LABEL + "=" + job.id().value());
    add(a, "--label", AGENT_LABEL + "=" + cfg.instance());
    add(a, "--pull", "never");
    add(a, "--cap-drop", "ALL");
    add(a, "--security-opt", "no-new-privileges");
    if (!s.network()) {
      add(a, "--network", "none");
    }
    add(a, "--memory", s.limits().memoryMb() + "m");
    add(a, "--memory-swap", s.limits().memoryMb() + "m");
    add(a, "--cpus", String.format(Locale.ROOT, "%.2f", s.limits().cpus()));
    add(a, "--pids-limit", Integer.toString(s.limits().pids()));
    a.add("--read-only");
    add(a, "--tmpfs", "/tmp:rw,nosuid,nodev,size=" + cfg.tmpfsMb() + "m");
    add(a, "--volume", workDir.toAbsolutePath() + ":/work:rw");
    add(a, "--workdir", "/work");
    for (String u : cfg.ulimits()) {
      add(a, "--ulimit", u);
    }
    if (s.gpu() && gpu.isPresent()) {
      switch (cfg.gpuMode()) {
        case "cdi" -> {
          add(a, "--device", "nvidia.com/gpu=" + gpu.getAsInt());
          add(a, "--shm-size", "4g");
        }
        case "docker" -> add(a, "--gpus", "device=" + gpu.getAsInt());
        default -> { } // jetson: the nvidia runtime above exposes the GPU
      }
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.env()).entrySet()) {
      add(a, "--env", e.getKey() + "=" + e.getValue());
    }
    a.add(s.image());
    a.addAll(s.args());
    return a;
  }

  private static void add(List<String> a, String flag, String value) {
    a.add(flag);
    a.add(value);
  }
}

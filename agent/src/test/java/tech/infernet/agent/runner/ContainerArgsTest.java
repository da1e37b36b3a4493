package tech.infernet.agent.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobSpec;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.Limits;
import tech.infernet.agent.jobs.SpecParser;

class ContainerArgsTest {
  private Job job(String spec) throws Exception {
    JobSpec s = new SpecParser().parse(spec).withLimits(new Limits(64, 0.5, 32, 10));
    return new Job(new JobId.Generator().next(), "o", s, JobState.PREPARING, null, null, 0, 0, 0);
  }

  @Test
  void containersAreHardenedByDefault() throws Exception {
    List<String> a = ContainerArgs.run(ContainerConfig.podmanDefaults(),
        job("{\"image\":\"localhost/x:1\",\"args\":[\"sh\",\"-c\",\"echo; rm -rf /\"]}"),
        Path.of("/w/1"), OptionalInt.empty());
    String joined = String.join(" ", a);
    for (String flag : List.of("--runtime runc", "--cap-drop ALL", "--security-opt no-new-privileges",
        "--network none", "--memory 64m", "--cpus 0.50", "--pids-limit 32", "--read-only",
        "--volume /w/1:/work:rw", "--ulimit nofile=1024:1024", "--ulimit nproc=4096:4096")) {
      assertTrue(joined.contains(flag), flag + " missing in " + joined);
    }
    assertFalse(joined.contains("--privileged"));
    assertFalse(a.contains("--rm"), "the exited container is kept until the job's end is stored");
    assertFalse(a.contains("--detach") || a.contains("-d") || a.contains("-i") || a.contains("--interactive"),
        "attached output, no stdin");
    assertTrue(joined.contains("--label infernet.job=") && joined.contains("--label infernet.agent=default"),
        "labels let a restarted agent find and reap the container");
    assertTrue(joined.contains("--pull never"), "the engine never pulls on its own (its pull output would land in the job's logs)");
    assertEquals(1, Collections.frequency(a, "--volume"), "one host mount only");
    assertEquals(List.of("localhost/x:1", "sh", "-c", "echo; rm -rf /"), a.subList(a.size() - 4, a.size()),
        "args follow the image as separate argv elements");
  }

  @Test
  void gpuFlagsFollowTheConfiguredMode() throws Exception {
    Job j = job("{\"image\":\"localhost/x:1\",\"gpu\":true,\"network\":true}");
    ContainerConfig p = ContainerConfig.podmanDefaults();
    String cdi = String.join(" ", ContainerArgs.run(p, j, Path.of("/w"), OptionalInt.of(1)));
    assertFalse(cdi.contains("--device"), "gpuMode none gives no device");
    ContainerConfig withCdi = new ContainerConfig("podman", "podman", "runc", "cdi", p.ulimits(), "missing", 64);
    assertTrue(String.join(" ", ContainerArgs.run(withCdi, j, Path.of("/w"), OptionalInt.of(1)))
        .contains("--device nvidia.com/gpu=1"));
    ContainerConfig docker = new ContainerConfig("docker", "docker", "", "docker", p.ulimits(), "missing", 64);
    String d = String.join(" ", ContainerArgs.run(docker, j, Path.of("/w"), OptionalInt.of(0)));
    assertTrue(d.contains("--gpus device=0"));
    assertFalse(d.contains("--network none"), "the spec asked for a network");
    ContainerConfig jetson = new ContainerConfig("podman", "podman", "runc", "jetson", p.ulimits(), "missing", 64);
    assertTrue(String.join(" ", ContainerArgs.run(jetson, j, Path.of("/w"), OptionalInt.of(0)))
        .startsWith("podman --runtime nvidia run"));
  }
}

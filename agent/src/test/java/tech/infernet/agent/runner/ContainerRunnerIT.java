package tech.infernet.agent.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobSpec;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.Limits;
import tech.infernet.agent.jobs.SpecParser;

/**
 * The container runner against real Podman (runc), without the engine: the one attached run, and
 * what a restarted agent finds for a RUNNING job (a run cut short between create and start, an
 * ended container, none at all).
 */
class ContainerRunnerIT {
  private static String image;
  @TempDir Path dir;
  private final ContainerRunner runner = new ContainerRunner(ContainerConfig.podmanDefaults(TestImage.INSTANCE));
  private final List<JobId> jobs = new ArrayList<>();

  @BeforeAll
  static void image() throws Exception {
    image = TestImage.ensure();
  }

  @AfterEach
  void removeContainers() throws Exception {
    for (JobId id : jobs) {
      runner.remove(id);
    }
  }

  private Job job(String img, String script) throws Exception {
    JobSpec s = new SpecParser().parse("{\"image\":\"" + img + "\",\"args\":[\"/bin/sh\",\"-c\","
        + tech.infernet.agent.jobs.Json.write(script) + "]}").withLimits(new Limits(64, 0.5, 32, 30));
    Job j = new Job(new JobId.Generator().next(), "o", s, JobState.RUNNING, null, null, 0, 0, 0);
    jobs.add(j.id());
    return j;
  }

  private static final class Sink implements RunSink {
    final List<String> lines = new ArrayList<>();
    final List<Map<String, Object>> progress = new ArrayList<>();

    @Override
    public synchronized void log(String stream, String text) {
      lines.add(stream + ":" + text);
    }

    @Override
    public synchronized void progress(Map<String, Object> info) {
      progress.add(info);
    }

    @Override
    public void tokens(String text) {
      throw new AssertionError("no tokens from containers");
    }
  }

  private static Proc.Result podman(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("podman", "--runtime", "runc"));
    argv.addAll(List.of(args));
    return Proc.run(argv, Duration.ofSeconds(60));
  }

  private static String state(JobId id) throws Exception {
    Proc.Result r = podman("inspect", "--format", "{{.State.Status}}", ContainerArgs.name(id));
    return r.ok() ? r.out().strip() : "absent";
  }

  @Test
  void preparingCreatesNothingAndOneRunGivesOutputAndExitCode() throws Exception {
    Job j = job(image, "echo out; echo err >&2; echo ran >> runs; exit 7");
    Sink sink = new Sink();
    runner.prepare(j, dir, OptionalInt.empty(), sink);
    assertEquals("absent", state(j.id()), "PREPARING creates no container");
    assertEquals(List.of(Map.of("image", image, "status", "present")), sink.progress);
    assertEquals(7, runner.start(j, sink).exit().get(60, TimeUnit.SECONDS));
    assertTrue(sink.lines.contains("stdout:out") && sink.lines.contains("stderr:err"), sink.lines.toString());
    assertEquals("exited", state(j.id()), "kept until the job's end is stored");
    assertEquals("ran\n", Files.readString(dir.resolve("runs")));
    Proc.Result labels = podman("inspect", "--format", "{{index .Config.Labels \"infernet.job\"}}",
        ContainerArgs.name(j.id()));
    assertEquals(j.id().value(), labels.out().strip());
  }

  @Test
  void aRunCutShortBeforeStartIsStartedOnceOnRecovery() throws Exception {
    Job j = job(image, "echo ran >> runs; echo done");
    runner.prepare(j, dir, OptionalInt.empty(), new Sink());
    List<String> create = ContainerArgs.run(runner.config(), j, dir, OptionalInt.empty());
    create.set(create.indexOf("run"), "create");
    assertTrue(Proc.run(create, Duration.ofSeconds(60)).ok());
    Sink sink = new Sink();
    Recovery r = runner.recover(j, 0, sink);
    int code = assertInstanceOf(Recovery.Reattached.class, r).execution().exit().get(60, TimeUnit.SECONDS);
    assertEquals(0, code);
    assertEquals("ran\n", Files.readString(dir.resolve("runs")));
    assertTrue(sink.lines.contains("stdout:done"), sink.lines.toString());
    assertInstanceOf(Recovery.Ended.class, runner.recover(j, 0, new Sink()), "ended now: not started again");
    assertEquals("ran\n", Files.readString(dir.resolve("runs")));
  }

  @Test
  void anEndedContainerIsConcludedAndAMissingOneIsLost() throws Exception {
    Job j = job(image, "exit 4");
    runner.prepare(j, dir, OptionalInt.empty(), new Sink());
    assertEquals(4, runner.start(j, new Sink()).exit().get(60, TimeUnit.SECONDS));
    assertEquals(4, assertInstanceOf(Recovery.Ended.class, runner.recover(j, 0, new Sink())).exitCode());
    runner.remove(j.id());
    Recovery.Lost lost = assertInstanceOf(Recovery.Lost.class, runner.recover(j, 0, new Sink()));
    assertTrue(lost.why().contains("not found"), lost.why());
  }

  @Test
  void anImageRemovedAfterItWasCheckedIsLookedForAgainAndItsJobFailsCleanly() throws Exception {
    String tag = "localhost/infernet-vanishing-" + TestImage.INSTANCE + ":1";
    assertTrue(podman("tag", image, tag).ok());
    Job first = job(tag, "true");
    runner.prepare(first, dir, OptionalInt.empty(), new Sink());
    assertEquals(0, runner.start(first, new Sink()).exit().get(60, TimeUnit.SECONDS));
    assertTrue(podman("rmi", "--force", tag).ok());
    Job second = job(tag, "echo ran");
    Sink sink = new Sink();
    runner.prepare(second, dir, OptionalInt.empty(), sink); // seen present before: no check
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> runner.start(second, sink).exit().get(120, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("pull of " + tag + " failed"), e.getCause().getMessage());
    assertTrue(sink.progress.contains(Map.of("image", tag, "status", "missing at run, pulling")), sink.progress.toString());
    assertTrue(!sink.lines.contains("stdout:ran"), "nothing ran");
    assertEquals("absent", state(second.id()));
  }
}

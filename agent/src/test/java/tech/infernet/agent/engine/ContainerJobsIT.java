package tech.infernet.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.SpecError;
import tech.infernet.agent.jobs.SpecException;
import tech.infernet.agent.runner.TestImage;
import tech.infernet.agent.store.JobEvent;
import tech.infernet.agent.store.Store;

/** Real Podman (runc) jobs through the store and the engine. */
class ContainerJobsIT {
  private static String image;
  @TempDir Path dir;
  private Store store;
  private JobEngine engine;

  @BeforeAll
  static void image() throws Exception {
    image = TestImage.ensure();
  }

  @BeforeEach
  void start() throws Exception {
    store = Store.open(dir.resolve("agent.db"), 2);
    engine = Fixtures.containerEngine(store, dir, 2);
    engine.start();
  }

  @AfterEach
  void stop() {
    engine.close();
    store.close();
  }

  private String spec(String script, int timeoutSeconds) {
    return "{\"image\":\"" + image + "\",\"args\":[\"/bin/sh\",\"-c\"," + tech.infernet.agent.jobs.Json.write(script)
        + "],\"limits\":{\"memoryMb\":64,\"timeoutSeconds\":" + timeoutSeconds + "}}";
  }

  private List<String> logs(Job j) {
    return store.events(j.id(), 0, 1000).stream().filter(e -> e.type().equals("log"))
        .map(JobEvent::payload).toList();
  }

  @Test
  void aContainerJobRunsToSucceededWithItsLogsAndResult() throws Exception {
    Job j = engine.submit("alice", spec("echo hello; echo oops >&2; cat in.txt > result", 30)
        .replace("}}", "},\"inputs\":{\"in.txt\":\"42\"}}")).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(60));
    assertEquals(JobState.SUCCEEDED, done.state(), done.reason());
    assertEquals(0, done.exitCode());
    List<String> logs = logs(done);
    assertTrue(logs.contains("{\"stream\":\"stdout\",\"text\":\"hello\"}"), logs.toString());
    assertTrue(logs.contains("{\"stream\":\"stderr\",\"text\":\"oops\"}"), logs.toString());
    assertEquals("42", new String(store.result(j.id()).orElseThrow().inline(), StandardCharsets.UTF_8));
    List<String> states = store.events(j.id(), 0, 1000).stream().filter(e -> e.type().equals("state"))
        .map(e -> e.payload().replaceAll(".*\"state\":\"([A-Z_]+)\".*", "$1")).toList();
    assertEquals(List.of("QUEUED", "PREPARING", "RUNNING", "SUCCEEDED"), states);
    assertEquals(List.of(), TestImage.jobContainersAfter(Duration.ofSeconds(10)));
  }

  @Test
  void theContainerIsHardened() throws Exception {
    String check = "grep -q 'CapEff:.0000000000000000' /proc/self/status || exit 11;"
        + " grep -q 'NoNewPrivs:.1' /proc/self/status || exit 12;"
        + " touch /etc/x 2>/dev/null && exit 13;"
        + " touch /tmp/x /work/x || exit 14;"
        + " [ \"$(ls /sys/class/net)\" = lo ] || exit 15;"
        + " [ \"$(ulimit -n)\" = 1024 ] || exit 16;"
        + " grep -q ' /work ' /proc/self/mountinfo || exit 17; exit 0";
    Job j = engine.submit("alice", spec(check, 30)).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(60));
    assertEquals(JobState.SUCCEEDED, done.state(), "exit " + done.exitCode() + " " + logs(done));
  }

  @Test
  void aFailingJobEndsFailedWithItsExitCodeAndLeavesNoContainer() throws Exception {
    Job j = engine.submit("alice", spec("echo bad; exit 3", 30)).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(60));
    assertEquals(JobState.FAILED, done.state());
    assertEquals(3, done.exitCode());
    assertEquals(List.of(), TestImage.jobContainersAfter(Duration.ofSeconds(10)));
  }

  @Test
  void aJobPastItsTimeoutEndsTimedOutAndLeavesNoContainer() throws Exception {
    Job j = engine.submit("alice", spec("sleep 60", 1)).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(30));
    assertEquals(JobState.TIMED_OUT, done.state());
    Thread.sleep(1500);
    assertEquals(List.of(), TestImage.jobContainersAfter(Duration.ofSeconds(10)));
    assertEquals(JobState.TIMED_OUT, store.job(j.id()).orElseThrow().state(), "no later state");
  }

  @Test
  void aCancelledRunningJobEndsCancelledAndLeavesNoContainer() throws Exception {
    Job j = engine.submit("alice", spec("echo started; sleep 60", 60)).join();
    long end = System.currentTimeMillis() + 30_000;
    while (store.job(j.id()).orElseThrow().state() != JobState.RUNNING || logs(j).isEmpty()) {
      assertTrue(System.currentTimeMillis() < end, "job did not start");
      Thread.sleep(50);
    }
    assertEquals(JobState.CANCELLED, engine.cancel(j.id()).join().state());
    Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(5));
    Thread.sleep(1500);
    assertEquals(List.of(), TestImage.jobContainersAfter(Duration.ofSeconds(10)));
    assertEquals(JobState.CANCELLED, store.job(j.id()).orElseThrow().state());
  }

  @Test
  void aJobAskingForTooMuchMemoryIsRejectedAtAdmission() {
    Job j = engine.submit("alice", spec("true", 30).replace("\"memoryMb\":64", "\"memoryMb\":4096")).join();
    assertEquals(JobState.REJECTED, j.state());
    assertTrue(j.reason().startsWith("MEMORY_ABOVE_MAX"), j.reason());
    assertTrue(j.reason().contains("512"), j.reason());
  }

  @Test
  void anInvalidSpecCreatesNoJob() {
    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> engine.submit("alice", "{\"image\":\"--privileged\"}").join());
    assertEquals(SpecError.BAD_IMAGE_NAME, assertInstanceOf(SpecException.class, e.getCause()).code());
    assertEquals(0, store.jobs(List.of(), 10).size());
    assertNotNull(engine.metrics());
  }

  @Test
  void aMissingImageThatCannotBePulledFailsTheJobWithTheReason() throws Exception {
    Job j = engine.submit("alice", spec("true", 30).replace(image, "localhost/infernet-absent:1")).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(120));
    assertEquals(JobState.FAILED, done.state());
    assertTrue(done.reason().contains("pull of localhost/infernet-absent:1 failed"), done.reason());
    assertEquals(List.of(), TestImage.jobContainersAfter(Duration.ofSeconds(10)));
  }
}

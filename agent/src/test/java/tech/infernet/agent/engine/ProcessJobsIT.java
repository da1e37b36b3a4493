package tech.infernet.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.Json;
import tech.infernet.agent.jobs.RunnerKind;
import tech.infernet.agent.runner.ProcessRunner;
import tech.infernet.agent.store.JobEvent;
import tech.infernet.agent.store.Store;

/** Plain host processes through the engine: argv only, clean env, the whole tree killed. */
class ProcessJobsIT {
  private static final List<String> ALLOWED = List.of("/bin/sh", "/bin/echo", "/usr/bin/env");
  @TempDir Path dir;
  private Store store;
  private JobEngine engine;

  @BeforeEach
  void start() throws Exception {
    store = Store.open(dir.resolve("agent.db"), 2);
    engine = newEngine();
    engine.start();
  }

  private JobEngine newEngine() {
    return Fixtures.engine(store, dir, 2,
        Map.of(RunnerKind.PROCESS, new ProcessRunner(dir.resolve("work"))), ALLOWED);
  }

  @AfterEach
  void stop() {
    engine.close();
    store.close();
  }

  private static String spec(int timeoutSeconds, String... argv) {
    return "{\"kind\":\"process\",\"args\":" + Json.write(List.of(argv))
        + ",\"limits\":{\"timeoutSeconds\":" + timeoutSeconds + "}}";
  }

  private List<String> logs(Job j) {
    return store.events(j.id(), 0, 1000).stream().filter(e -> e.type().equals("log"))
        .map(JobEvent::payload).toList();
  }

  /** Starts a job whose shell prints its children's pids, and waits for them. */
  private List<Long> startTree(Job j) throws Exception {
    long end = System.currentTimeMillis() + 30_000;
    while (true) {
      List<Long> pids = new ArrayList<>();
      for (String l : logs(j)) {
        String text = l.replaceAll(".*\"text\":\"([^\"]*)\".*", "$1");
        if (text.startsWith("pid ")) {
          pids.add(Long.parseLong(text.substring(4).strip()));
        }
      }
      if (pids.size() == 3) {
        return pids;
      }
      assertTrue(System.currentTimeMillis() < end, "tree did not start: " + logs(j));
      Thread.sleep(50);
    }
  }

  private static final String TREE = "sleep 300 & echo pid $!; setsid sleep 300 & echo pid $!;"
      + " (sleep 300; true) & echo pid $!; wait";

  private static void assertAllGone(List<Long> pids) throws InterruptedException {
    long end = System.currentTimeMillis() + 5_000;
    for (long pid : pids) {
      while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        assertTrue(System.currentTimeMillis() < end, "process " + pid + " survived");
        Thread.sleep(20);
      }
    }
  }

  @Test
  void aProcessJobRunsToSucceededWithItsLogsAndResult() throws Exception {
    Job j = engine.submit("alice", spec(30, "/bin/sh", "-c",
        "echo hello; echo oops >&2; cat in.txt > result").replace("}}", "},\"inputs\":{\"in.txt\":\"42\"}}")).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(30));
    assertEquals(JobState.SUCCEEDED, done.state(), done.reason());
    assertTrue(logs(done).contains("{\"stream\":\"stdout\",\"text\":\"hello\"}"), logs(done).toString());
    assertTrue(logs(done).contains("{\"stream\":\"stderr\",\"text\":\"oops\"}"), logs(done).toString());
    assertEquals("42", new String(store.result(j.id()).orElseThrow().inline(), StandardCharsets.UTF_8));
    assertFalse(Files.exists(dir.resolve("work").resolve(j.id().value())), "work dir removed");
  }

  @Test
  void argvIsNeverGivenToAShellAndTheEnvironmentIsClean() throws Exception {
    Path marker = dir.resolve("pwned");
    Job echo = engine.submit("alice", spec(30, "/bin/echo", "$(touch " + marker + "); `id`; | & >x")).join();
    Job e = Fixtures.awaitTerminal(store, echo.id(), Duration.ofSeconds(30));
    assertEquals(JobState.SUCCEEDED, e.state());
    assertTrue(logs(e).get(0).contains("$(touch " + marker + "); `id`; | & >x"), logs(e).toString());
    assertFalse(Files.exists(marker));
    Job env = engine.submit("alice", spec(30, "/usr/bin/env").replace("}}", "},\"env\":{\"GREETING\":\"hi\"}}")).join();
    Job done = Fixtures.awaitTerminal(store, env.id(), Duration.ofSeconds(30));
    String all = String.join("\n", logs(done));
    assertTrue(all.contains("GREETING=hi"), all);
    assertTrue(all.contains("HOME=" + dir.resolve("work").resolve(env.id().value())), all);
    assertFalse(all.contains("JAVA_HOME") || all.contains("INFERNET_") || all.contains("MAVEN"), all);
  }

  @Test
  void aCommandOffTheAllowListIsRejectedAtAdmission() {
    Job j = engine.submit("alice", spec(30, "/bin/rm", "-rf", "/")).join();
    assertEquals(JobState.REJECTED, j.state());
    assertTrue(j.reason().startsWith("COMMAND_NOT_ALLOWED"), j.reason());
  }

  @Test
  void cancelKillsTheWholeProcessTree() throws Exception {
    Job j = engine.submit("alice", spec(60, "/bin/sh", "-c", TREE)).join();
    List<Long> pids = startTree(j);
    assertEquals(JobState.CANCELLED, engine.cancel(j.id()).join().state());
    assertAllGone(pids);
    Thread.sleep(300);
    assertEquals(JobState.CANCELLED, store.job(j.id()).orElseThrow().state());
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree() throws Exception {
    Job j = engine.submit("alice", spec(2, "/bin/sh", "-c", TREE)).join();
    List<Long> pids = startTree(j);
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(30));
    assertEquals(JobState.TIMED_OUT, done.state());
    assertAllGone(pids);
  }

  @Test
  void afterAnAgentRestartARunningProcessIsKilledAndTheJobFails() throws Exception {
    Job j = engine.submit("alice", spec(60, "/bin/sh", "-c", TREE)).join();
    List<Long> pids = startTree(j);
    engine.close(); // as if the agent died: the processes keep running
    engine = newEngine();
    engine.start();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(30));
    assertEquals(JobState.FAILED, done.state());
    assertTrue(done.reason().contains("killed"), done.reason());
    assertAllGone(pids);
  }
}

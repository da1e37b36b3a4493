package tech.infernet.agent.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.runner.TestImage;
import tech.infernet.agent.store.JobEvent;
import tech.infernet.agent.store.Store;

/**
 * Starts the agent as a separate JVM, submits a stream of container jobs, SIGKILLs the agent at
 * random points and restarts it, then checks that every job ended exactly once, none ran twice,
 * and event sequences have no gaps or duplicates.
 */
class AgentCrashIT {
  private static final Pattern READY = Pattern.compile("READY port=(\\d+)");
  private static final Pattern ID = Pattern.compile("\"id\":\"([0-9A-Z]{26})\"");
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Process agent;
  private int port;

  private void startAgent() throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "tech.infernet.agent.cli.Main",
        "--state-dir", dir.toString(), "run", "--port", "0");
    agent = new ProcessBuilder(cmd).redirectError(dir.resolve("agent.log").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
    long end = System.currentTimeMillis() + 60_000;
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = READY.matcher(line);
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        return;
      }
      assertTrue(System.currentTimeMillis() < end, "agent did not get ready");
    }
    throw new AssertionError("agent exited before ready: " + Files.readString(dir.resolve("agent.log")));
  }

  private String submit(String spec) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
          .timeout(Duration.ofSeconds(5)).header("X-Infernet-Owner", "owner" + (spec.length() % 3))
          .POST(HttpRequest.BodyPublishers.ofString(spec)).build(), HttpResponse.BodyHandlers.ofString());
      Matcher m = ID.matcher(r.body());
      return r.statusCode() == 201 && m.find() ? m.group(1) : null;
    } catch (Exception e) {
      return null; // the agent was killed mid-request: the job may or may not exist
    }
  }

  @Test
  void sigkilledAgentLosesNoJobAndRunsNoneTwice() throws Exception {
    String image = TestImage.ensure();
    Files.writeString(dir.resolve("config.json"),
        "{\"scheduler\":{\"maxConcurrent\":3},\"runner\":{\"engine\":\"podman\"}}");
    Random rnd = new Random(42);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    int submittedTotal = 0;
    for (int cycle = 0; cycle < 4; cycle++) {
      startAgent();
      AtomicBoolean go = new AtomicBoolean(true);
      int base = submittedTotal;
      Thread feeder = new Thread(() -> {
        for (int i = 0; go.get() && i < 12; i++) {
          String sleep = ((base + i) % 3) + "." + (1 + (base + i) % 9);
          String spec = "{\"image\":\"" + image + "\",\"args\":[\"/bin/sh\",\"-c\",\"echo ran >> runs;"
              + " echo job " + (base + i) + "; sleep " + sleep + "; cp runs result\"],"
              + "\"limits\":{\"memoryMb\":32,\"timeoutSeconds\":60}}";
          String id = submit(spec);
          if (id != null) {
            acknowledged.add(id);
          }
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      feeder.start();
      submittedTotal += 12;
      if (cycle < 3) {
        Thread.sleep(400 + rnd.nextInt(2500));
        agent.destroyForcibly(); // SIGKILL
        assertTrue(agent.waitFor(10, TimeUnit.SECONDS));
        go.set(false);
        feeder.join();
      } else {
        feeder.join();
        waitAllTerminal();
        agent.destroy(); // SIGTERM: clean stop
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
      }
    }
    try (Store store = Store.open(dir.resolve("agent.db"), 1)) {
      List<Job> all = store.jobs(List.of(), 100_000);
      assertFalse(acknowledged.isEmpty());
      for (String id : acknowledged) {
        assertTrue(store.job(new JobId(id)).isPresent(), "acknowledged job " + id + " was lost");
      }
      int succeeded = 0;
      int reattached = 0;
      int requeued = 0;
      for (Job j : all) {
        assertTrue(j.state().isTerminal(), j.id() + " ended in " + j.state());
        List<JobEvent> ev = store.events(j.id(), 0, 100_000);
        for (int i = 0; i < ev.size(); i++) {
          assertEquals(i + 1, ev.get(i).seq(), "gap or duplicate in events of " + j.id());
        }
        List<String> states = new ArrayList<>();
        reattached += ev.stream().anyMatch(e -> (e.type().equals("reattached") || e.type().equals("recovered"))) ? 1 : 0;
        requeued += ev.stream().anyMatch(e -> e.payload().contains("re-queued")) ? 1 : 0;
        for (JobEvent e : ev) {
          if (e.type().equals("state")) {
            states.add(e.payload().replaceAll(".*\"state\":\"([A-Z_]+)\".*", "$1"));
          }
        }
        long terminal = states.stream().filter(s -> JobState.valueOf(s).isTerminal()).count();
        assertEquals(1, terminal, "exactly one terminal state for " + j.id() + ": " + states);
        assertTrue(JobState.valueOf(states.get(states.size() - 1)).isTerminal());
        assertTrue(states.stream().filter(s -> s.equals("RUNNING")).count() <= 1,
            "started at most once: " + j.id() + " " + states);
        if (j.state() == JobState.SUCCEEDED) {
          succeeded++;
          String result = new String(store.result(j.id()).orElseThrow().inline(), StandardCharsets.UTF_8);
          assertEquals("ran\n", result, "job " + j.id() + " ran more than once");
        }
      }
      assertTrue(succeeded > all.size() / 2, succeeded + " of " + all.size() + " succeeded");
      System.out.println("crash test: " + all.size() + " jobs, " + succeeded + " succeeded, states "
          + store.countByState() + ", re-attached after a kill " + reattached + ", re-queued " + requeued);
    }
    String instance = tech.infernet.agent.config.ConfigLoader.load(null, dir, java.util.Map.of()).instance();
    assertEquals(List.of(), TestImage.jobContainers(instance), "no container left behind");
  }

  private void waitAllTerminal() throws Exception {
    long end = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < end) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/jobs?state=QUEUED,PREPARING,RUNNING")).build(), HttpResponse.BodyHandlers.ofString());
      if (r.body().equals("{\"jobs\":[]}")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("jobs did not all end");
  }
}

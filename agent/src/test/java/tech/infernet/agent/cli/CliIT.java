package tech.infernet.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tech.infernet.agent.app.Agent;
import tech.infernet.agent.config.AgentConfig;
import tech.infernet.agent.config.ConfigLoader;
import tech.infernet.agent.config.Identity;

/** The infernet-agent CLI against a running agent: status, jobs and acl subcommands. */
class CliIT {
  @TempDir Path dir;
  private Agent agent;
  private String api;

  /** What one CLI run printed and its exit code. */
  private record Out(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("config.json"), "{\"process\":{\"enabled\":true,"
        + "\"allowedCommands\":[\"/bin/sleep\",\"/bin/echo\"]}}");
    AgentConfig cfg = ConfigLoader.load(dir.resolve("config.json"), dir, Map.of()).withApiPort(0);
    agent = Agent.start(cfg, Identity.create(cfg.identityFile()));
    api = "http://127.0.0.1:" + agent.port();
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private synchronized Out cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      String[] all = new String[args.length + 2];
      all[0] = "--api";
      all[1] = api;
      System.arraycopy(args, 0, all, 2, args.length);
      int code = new CommandLine(new Main()).execute(all);
      return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private JsonObject json(Out o) {
    assertEquals(0, o.code(), o.err());
    return new JsonObject(o.out().strip());
  }

  private String submit(String spec) throws Exception {
    Path f = Files.writeString(dir.resolve("spec-" + System.nanoTime() + ".json"), spec);
    return json(cli("jobs", "submit", f.toString())).getString("id");
  }

  private String awaitState(String id, String... states) throws Exception {
    long end = System.currentTimeMillis() + 30_000;
    while (true) {
      String s = json(cli("jobs", "show", id)).getString("state");
      for (String want : states) {
        if (want.equals(s)) {
          return s;
        }
      }
      assertTrue(System.currentTimeMillis() < end, id + " stayed " + s);
      Thread.sleep(100);
    }
  }

  @Test
  void statusShowsIdentityVersionAndRunners() {
    JsonObject s = json(cli("status"));
    assertEquals(64, s.getString("publicKey").length());
    assertEquals(Agent.VERSION, s.getString("version"));
    assertTrue(s.getJsonObject("runners").getString("process").startsWith("enabled"), s.encode());
  }

  @Test
  void jobsCanBeSubmittedListedShownFollowedAndCancelled() throws Exception {
    String done = submit("{\"kind\":\"process\",\"args\":[\"/bin/echo\",\"hi from the cli\"]}");
    assertEquals("SUCCEEDED", awaitState(done, "SUCCEEDED", "FAILED"));
    // logs of a finished job print its events and return (the stream ends at the terminal state)
    Out logs = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cli("jobs", "logs", done));
    assertEquals(0, logs.code(), logs.err());
    assertTrue(logs.out().contains("hi from the cli"), logs.out());
    assertTrue(logs.out().strip().endsWith("}") && logs.out().contains("\"state\":\"SUCCEEDED\""), logs.out());

    String running = submit("{\"kind\":\"process\",\"args\":[\"/bin/sleep\",\"60\"]}");
    awaitState(running, "RUNNING");
    JsonArray listed = json(cli("jobs", "list", "--state", "RUNNING")).getJsonArray("jobs");
    assertEquals(1, listed.size());
    assertEquals(running, listed.getJsonObject(0).getString("id"));
    assertEquals("CANCELLED", json(cli("jobs", "cancel", running)).getString("state"));
    assertEquals(2, json(cli("jobs", "list")).getJsonArray("jobs").size());

    Out missing = cli("jobs", "show", "01ARZ3NDEKTSV4RRFFQ69G5FAV");
    assertNotEquals(0, missing.code());
    assertTrue(missing.err().contains("NO_SUCH_JOB"), missing.err());
    Out rejected = cli("jobs", "submit", Files.writeString(dir.resolve("bad.json"),
        "{\"kind\":\"process\",\"args\":\"rm -rf /\"}").toString());
    assertNotEquals(0, rejected.code());
    assertTrue(rejected.err().contains("ARGS_NOT_ARGV"), rejected.err());
  }

  @Test
  void aclEntriesCanBeAddedListedAndRemoved() {
    String key = "ab".repeat(32);
    assertEquals("admin", json(cli("acl", "add", key, "admin")).getString("role"));
    JsonArray acl = json(cli("acl", "list")).getJsonArray("acl");
    assertEquals(1, acl.size());
    assertEquals(key, acl.getJsonObject(0).getString("publicKey"));
    assertTrue(json(cli("acl", "remove", key)).getBoolean("removed"));
    assertTrue(json(cli("acl", "list")).getJsonArray("acl").isEmpty());
    Out again = cli("acl", "remove", key);
    assertNotEquals(0, again.code(), "removing an absent key fails");
    Out bad = cli("acl", "add", "not-a-key", "user");
    assertNotEquals(0, bad.code());
    assertFalse(bad.err().isBlank());
  }
}

package tech.infernet.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.infernet.protocol.message.JobSubmit;
import tech.infernet.protocol.message.Payloads;
import tech.infernet.protocol.spec.ContainerJob;

/**
 * Checks the envelope against an independent JavaScript implementation (src/test/node/interop.js,
 * written from docs/protocol.md on npm tweetnacl and ed2curve). Runs when node and npm are on the
 * PATH; installs the two pinned packages into target/node-interop once with {@code npm ci}, and
 * is skipped (with the reason) when that is impossible.
 */
class JavaScriptInteropTest {
  static Path dir;

  @BeforeAll
  static void install() throws Exception {
    Assumptions.assumeTrue(run(Path.of("."), 20, "node", "--version").exit == 0, "node is not on the PATH");
    dir = Path.of("target/node-interop");
    Files.createDirectories(dir);
    for (String f : List.of("package.json", "package-lock.json", "interop.js")) {
      Files.copy(Path.of("src/test/node", f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(dir.resolve("node_modules/tweetnacl")) || !Files.isDirectory(dir.resolve("node_modules/ed2curve"))) {
      Result r = run(dir, 240, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
      Assumptions.assumeTrue(r.exit == 0, "npm ci of tweetnacl/ed2curve failed: " + r.out);
    }
  }

  @Test
  void anIndependentJavaScriptImplementationReproducesEveryVector() throws Exception {
    Path vectors = Path.of("src/test/resources/vectors/envelope-v1.json").toAbsolutePath();
    Result r = run(dir, 60, "node", "interop.js", "check", vectors.toString());
    assertEquals(0, r.exit, r.out);
    assertTrue(r.out.contains("vectors ok"), r.out);
  }

  @Test
  void anEnvelopeSealedInJavaScriptOpensInJava() throws Exception {
    KeyPair alice = TestVectors.ALICE;
    KeyPair bob = TestVectors.BOB;
    long now = System.currentTimeMillis();
    Result r = run(dir, 60, "node", "interop.js", "seal", TestVectors.HEX.formatHex(alice.seed()),
        TestVectors.HEX.formatHex(bob.publicKey()), Long.toString(now));
    assertEquals(0, r.exit, r.out);
    String[] lines = r.out.strip().split("\n");
    for (int i = 0; i < 2; i++) {
      Receiver receiver = new Receiver(bob, new InMemoryReplayCache(), Fixtures.clockAt(now), Receiver.Options.DEFAULT);
      Opened o = i == 0 ? receiver.openJson(lines[0]) : receiver.open(TestVectors.HEX.parseHex(lines[1]));
      assertEquals(MessageType.JOB_SUBMIT, o.type());
      JobSubmit submit = (JobSubmit) Payloads.decode(o.type(), o.payload());
      assertEquals(List.of("echo", "from javascript"), ((ContainerJob) submit.spec()).command());
    }
  }

  record Result(int exit, String out) {}

  static Result run(Path cwd, int seconds, String... cmd) throws IOException, InterruptedException {
    Path log = Files.createTempFile("interop", ".log");
    try {
      Process p;
      try {
        p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      } catch (IOException e) {
        return new Result(-1, e.getMessage());
      }
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-2, "timed out: " + Files.readString(log));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}

package tech.infernet.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import tech.infernet.client.cli.InfernetCli;

/** Runs the `infernet` CLI in-process for the tests. */
final class Cli {
  private Cli() {}

  /** Runs it with common options then args; returns what it printed, failing on a non-zero exit. */
  static String run(List<String> common, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(common);
    all.addAll(List.of(args));
    int rc = InfernetCli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, rc, "infernet " + String.join(" ", args) + " failed: " + err + out);
    return out.toString();
  }
}

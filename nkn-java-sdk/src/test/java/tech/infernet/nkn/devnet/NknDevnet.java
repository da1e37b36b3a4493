package tech.infernet.nkn.devnet;

import java.time.Duration;

/**
 * A one-node NKN network on 127.0.0.1, driven through {@code scripts/devnet.sh}. Tests get it from
 * {@link NknDevnetExtension}; see docs/devnet.md for what such a network does and does not do.
 * Failures throw {@link IllegalStateException} with the script's output and the node's log tail.
 */
public final class NknDevnet {
  // Generous: the first start in a fresh checkout builds nknd (minutes); a later start takes ~1 s.
  private static final Duration START_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

  private final DevnetScript script;
  private final String seedRpcAddress;

  NknDevnet(DevnetScript script) {
    this.script = script;
    this.seedRpcAddress = script.run("address", STOP_TIMEOUT).strip();
  }

  /** The node's JSON-RPC address, {@code http://127.0.0.1:<port>}, to use as the clients' seed. */
  public String seedRpcAddress() {
    return seedRpcAddress;
  }

  /** Starts the node with its current chain state and returns once it serves clients. */
  public void start() {
    report(script.run("start", START_TIMEOUT));
  }

  /** Stops the node gracefully (SIGINT, then SIGKILL after a grace period). */
  public void stop() {
    report(script.run("stop", STOP_TIMEOUT));
  }

  /** Kills the node at once with SIGKILL, as in a crash; {@link #start()} brings it back. */
  public void kill() {
    report(script.run("kill", STOP_TIMEOUT));
  }

  /** Stops the node and deletes its chain state and logs. */
  void clean() {
    report(script.run("clean", STOP_TIMEOUT));
  }

  @Override
  public String toString() {
    return "NknDevnet[" + seedRpcAddress + ", " + script.devnetDir() + "]";
  }

  // The script's own lines ("devnet: ready at ...") make test logs easier to follow.
  private static void report(String output) {
    if (!output.isBlank()) {
      System.err.print(output);
    }
  }
}

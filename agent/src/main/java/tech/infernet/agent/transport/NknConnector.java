package tech.infernet.agent.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.protocol.message.AgentInfo;
import tech.infernet.protocol.message.PairingUri;
import tech.infernet.protocol.message.Role;

/**
 * Brings the agent onto NKN in the background and keeps trying until it is there: the agent
 * starts and runs local jobs whether or not an NKN node answers, and an outage at boot is not
 * fatal. Once connected, the NKN client reconnects by itself.
 */
public final class NknConnector implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NknConnector.class.getName());
  private final Thread thread;
  private volatile NknFace face;
  private volatile String lastError = "connecting";
  private volatile boolean closed;

  private NknConnector(JobEngine engine, byte[] seed, FaceConfig config, Supplier<AgentInfo> info) {
    thread = new Thread(() -> connect(engine, seed, config, info), "nkn-connect");
    thread.setDaemon(true);
  }

  public static NknConnector start(JobEngine engine, byte[] seed, FaceConfig config, Supplier<AgentInfo> info) {
    NknConnector connector = new NknConnector(engine, seed, config, info);
    connector.thread.start();
    return connector;
  }

  private void connect(JobEngine engine, byte[] seed, FaceConfig config, Supplier<AgentInfo> info) {
    long backoffMs = 1_000;
    while (!closed) {
      try {
        NknFace started = NknFace.start(engine, seed, config, info);
        if (closed) {
          started.close();
        } else {
          face = started;
        }
        return;
      } catch (IOException | RuntimeException e) { // NknException (CONNECT_FAILED) is a RuntimeException
        lastError = e.getMessage();
        LOG.warning("not on NKN yet (" + e.getMessage() + "); trying again in " + backoffMs / 1000 + " s");
      }
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        return;
      }
      backoffMs = Math.min(30_000, backoffMs * 2);
    }
  }

  /** For /status: the NKN address once connected, else why not yet. */
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    NknFace current = face;
    status.put("connected", current != null);
    if (current != null) {
      status.put("address", current.address());
    } else {
      status.put("reason", lastError);
    }
    return status;
  }

  /**
   * A one-time pairing link for role, valid for ttl.
   *
   * @throws IllegalStateException when the agent is not on NKN yet
   */
  public PairingUri pair(Role role, Duration ttl) throws IOException {
    NknFace current = face;
    if (current == null) {
      throw new IllegalStateException("the agent is not on NKN yet: " + lastError);
    }
    return current.newPairing(role, ttl);
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    NknFace current = face;
    if (current != null) {
      current.close();
    }
  }
}

package tech.infernet.relay.transport;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import tech.infernet.client.SecureChannel;
import tech.infernet.mobile.agents.AgentLinks;
import tech.infernet.nkn.NknClient;
import tech.infernet.protocol.message.AgentInfoRequest;

/**
 * Asks every linked agent, every interval, whether it is there ({@code agent.info}, signed by the
 * relay): any answer the agent signed, even a refusal, means reachable; silence means not. Phones
 * see the result in {@code GET /v1/agents}.
 */
public final class AgentProbe implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AgentProbe.class.getName());
  private final NknLink nkn;
  private final SecureChannel channel;
  private final AgentLinks links;
  private final AtomicLong ids = new AtomicLong();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "relay-agent-probe");
    t.setDaemon(true);
    return t;
  });

  public AgentProbe(NknLink nkn, SecureChannel channel, AgentLinks links) {
    this.nkn = nkn;
    this.channel = channel;
    this.links = links;
  }

  public void start(Duration interval) {
    timer.scheduleWithFixedDelay(this::probeAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void probeAll() {
    NknClient client = nkn.client().orElse(null);
    if (client == null) {
      return;
    }
    try {
      for (String address : links.addresses()) {
        probe(client, address);
      }
    } catch (RuntimeException e) {
      LOG.warning("probing agents failed: " + e.getMessage());
    }
  }

  private void probe(NknClient client, String address) {
    String agentHex = SecureChannel.publicKeyOf(address);
    String agentKeyId = AgentLinks.agentKeyIdOf(address).orElseThrow();
    byte[] request = channel.seal(HexFormat.of().parseHex(agentHex), new AgentInfoRequest("probe-" + ids.incrementAndGet()));
    client.send(address, request).whenComplete((reply, error) -> {
      boolean answered = false;
      if (error == null) {
        try {
          answered = channel.open(reply.source(), reply.data()).senderHex().equals(agentHex);
        } catch (Exception e) {
          LOG.fine("a probe answer from " + address + " did not open: " + e.getMessage());
        }
      }
      links.seen(agentKeyId, answered);
    });
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

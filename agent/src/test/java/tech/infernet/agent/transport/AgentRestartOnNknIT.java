package tech.infernet.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.runner.TestImage;
import tech.infernet.client.NknAgentClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.Resources;

/** The agent stops and starts again (same identity, same state) while a job runs. */
@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AgentRestartOnNknIT {
  @TempDir Path dir;

  @Test
  void ownerReceivesEveryEventOfAJobExactlyOnceInOrderAcrossAnAgentRestart(NknDevnet devnet) throws Exception {
    String image = TestImage.ensure();
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    KeyPair ownerKey = KeyPair.generate(new SecureRandom());
    List<JobEvent> received = new CopyOnWriteArrayList<>();
    String script = "for i in 1 2 3 4 5 6; do echo tick $i; sleep 1; done";
    ContainerJob job = new ContainerJob(image, List.of("/bin/sh", "-c", script), Map.of(), new Resources(64, 0, 0, 0), 120, false);

    String jobId;
    String address;
    try (NknAgentClient owner = NknAgentClient.connect(ownerKey,
        NknClientOptions.builder(devnet.seedRpcAddress()).replyTimeout(Duration.ofSeconds(20)).build())) {
      owner.onEvent(received::add);
      try (TestAgent first = new TestAgent(dir, devnet, seed)) {
        first.store.aclPut(HexFormat.of().formatHex(ownerKey.publicKey()), Role.OWNER.wireName()).join();
        address = first.face.address();
        jobId = owner.submit(address, job).join().jobId();
        awaitTrue(() -> received.stream().anyMatch(e -> e.kind().equals("log")), 60, "a log event before the restart");
      }
      Thread.sleep(1_500); // the job keeps running in its container while no agent is up
      try (TestAgent second = new TestAgent(dir, devnet, seed)) {
        awaitTrue(() -> received.stream().anyMatch(e -> e.jobId().equals(jobId) && "SUCCEEDED".equals(e.data().get("state"))),
            120, "the SUCCEEDED event after the restart");
        List<Long> stored = second.store.events(new tech.infernet.agent.jobs.JobId(jobId), 0, 1000).stream()
            .map(e -> e.seq()).toList();
        List<Long> seen = received.stream().filter(e -> e.jobId().equals(jobId)).map(JobEvent::seq).toList();
        assertEquals(stored, seen, "every stored event, once, in order");
        assertTrue(received.stream().filter(e -> e.kind().equals("log")).count() >= 6, received.toString());
      }
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, int seconds, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + seconds + " s");
      }
      Thread.sleep(100);
    }
  }
}

package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tech.infernet.nkn.NknMessagingIT.utf8;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;

/** Opening and closing clients over and over leaves nothing behind. */
@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NknLifecycleIT {
  private static final int CYCLES = 1_000;

  @Test
  void thousandOpenCloseCyclesLeaveNoThreadsHandlesGoroutinesOrMemoryBehind(NknDevnet devnet) throws Exception {
    try (TestClients clients = new TestClients(devnet)) {
      NknClientOptions options = clients.options().build();
      NknClient peer = clients.echo();
      NknAccount account = NknAccount.generate();
      cycles(account, options, peer, 100); // warm up the JIT, Go's heap and the node's caches
      Snapshot before = Snapshot.take();

      cycles(account, options, peer, CYCLES / 2);
      Snapshot middle = Snapshot.take();
      cycles(account, options, peer, CYCLES / 2);
      Snapshot after = Snapshot.take();

      System.out.printf("lifecycle: before %s%n           middle %s%n           after  %s%n", before, middle, after);
      assertEquals(before.handles, after.handles, "native handles");
      assertTrue(after.threads <= before.threads + 2, "threads grew: " + before + " -> " + after);
      assertTrue(after.goroutines <= before.goroutines + 20, "goroutines grew: " + before + " -> " + after);
      // A leak grows with every cycle; noise does not. The second 500 cycles may add at most 24 MiB.
      assertTrue(after.rssKiB - middle.rssKiB < 24 * 1024, "RSS keeps growing: " + middle + " -> " + after);
    }
  }

  /** Each cycle connects, does one request-reply so the client is really used, and closes. */
  private static void cycles(NknAccount account, NknClientOptions options, NknClient peer, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      try (NknClient client = NknClient.connect(account, options)) {
        if (i % 10 == 0) {
          client.send(peer.address(), utf8("cycle " + i)).get(15, TimeUnit.SECONDS);
        }
      }
    }
  }

  private record Snapshot(int threads, int handles, int goroutines, long rssKiB) {
    static Snapshot take() throws IOException, InterruptedException {
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(300); // let closed clients' goroutines finish their last tick
      }
      return new Snapshot(ManagementFactory.getThreadMXBean().getThreadCount(), NativeNkn.liveHandles(),
          NativeNkn.goroutines(), readRssKiB());
    }

    static long readRssKiB() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IOException("no VmRSS in /proc/self/status");
    }
  }
}

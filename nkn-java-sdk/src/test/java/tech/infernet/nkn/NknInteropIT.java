package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tech.infernet.nkn.NknMessagingIT.text;
import static tech.infernet.nkn.NknMessagingIT.utf8;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;

/** The Java binding against a client written directly on nkn-sdk-go, in a separate process. */
@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NknInteropIT {
  private NknDevnet devnet;
  private TestClients clients;

  @BeforeEach
  void start(NknDevnet devnet) {
    this.devnet = devnet;
    clients = new TestClients(devnet);
  }

  @AfterEach
  void stop() {
    clients.close();
  }

  @Test
  void javaClientGetsTheReplyOfAGoClient() throws Exception {
    NknClient java = clients.connect();
    try (GoPeer go = GoPeer.start("echo", "-rpc", devnet.seedRpcAddress())) {
      String goAddress = go.expect("ADDRESS", 60);

      NknReply reply = java.send(goAddress, utf8("from java")).get(30, TimeUnit.SECONDS);

      assertEquals("from java", text(reply.data()));
      assertEquals(goAddress, reply.source());
    }
  }

  @Test
  void goClientGetsTheReplyOfAJavaClient() throws Exception {
    NknClient java = clients.connect();
    java.onMessage(message -> message.reply(utf8("java saw: " + text(message.data()))));
    try (GoPeer go = GoPeer.start("send", "-rpc", devnet.seedRpcAddress(), "-to", java.address(), "-data", "from go")) {
      String goAddress = go.expect("ADDRESS", 60);

      String reply = go.expect("REPLY", 60);

      assertEquals(java.address() + " java saw: from go", reply);
      assertEquals(0, go.exit().get(30, TimeUnit.SECONDS), go.stderrText());
      assertEquals(64 + 0, goAddress.length());
    }
  }
}

package tech.infernet.nkn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tech.infernet.nkn.devnet.NknDevnet;

/** Clients of the test devnet, closed together at the end of a test. */
final class TestClients implements AutoCloseable {
  private final NknDevnet devnet;
  private final List<NknClient> open = new ArrayList<>();

  TestClients(NknDevnet devnet) {
    this.devnet = devnet;
  }

  NknClientOptions.Builder options() {
    return NknClientOptions.builder(devnet.seedRpcAddress())
        .connectTimeout(Duration.ofSeconds(30))
        .replyTimeout(Duration.ofSeconds(15))
        .maxReconnectInterval(Duration.ofSeconds(2));
  }

  NknClient connect() {
    return connect(options().build());
  }

  NknClient connect(NknClientOptions options) {
    NknClient client = NknClient.connect(NknAccount.generate(), options);
    open.add(client);
    return client;
  }

  /** A client that answers every message with "echo:" and the data. */
  NknClient echo() {
    NknClient client = connect();
    client.onMessage(message -> {
      byte[] data = message.data();
      byte[] answer = new byte[data.length + 5];
      System.arraycopy("echo:".getBytes(), 0, answer, 0, 5);
      System.arraycopy(data, 0, answer, 5, data.length);
      message.reply(answer);
    });
    return client;
  }

  @Override
  public void close() {
    open.forEach(NknClient::close);
  }
}

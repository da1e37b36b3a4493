package tech.infernet.nkn.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension gives a node that serves clients, and that comes back after a crash. */
@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NknDevnetIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static NknDevnet sharedDevnet;

  @BeforeAll
  static void rememberDevnet(NknDevnet devnet) {
    sharedDevnet = devnet;
  }

  @Test
  void nodeServesClientsAndSurvivesAKill(NknDevnet devnet) throws Exception {
    assertSame(sharedDevnet, devnet, "one devnet per test run");
    assertTrue(devnet.seedRpcAddress().matches("http://127\\.0\\.0\\.1:\\d+"), devnet.seedRpcAddress());
    String publicKey = field(call(devnet, "getnodestate", "{}"), "publicKey");
    assertServesClients(devnet, publicKey);

    devnet.kill();
    assertThrows(IOException.class, () -> call(devnet, "getnodestate", "{}"), "the node is down");

    devnet.start();
    assertServesClients(devnet, publicKey);
  }

  /** Same node identity, and clients are sent to this node's WebSocket on the loopback. */
  private static void assertServesClients(NknDevnet devnet, String publicKey) throws Exception {
    String state = call(devnet, "getnodestate", "{}");
    assertEquals(publicKey, field(state, "publicKey"), state);
    assertTrue(field(state, "syncState").matches("[A-Z_]+"), state);

    String wsAddr = call(devnet, "getwsaddr", "{\"address\":\"devnet-it." + publicKey + "\"}");
    assertTrue(field(wsAddr, "addr").matches("127\\.0\\.0\\.1:\\d+"), wsAddr);
  }

  private static String call(NknDevnet devnet, String method, String params) throws IOException, InterruptedException {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(devnet.seedRpcAddress()))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  // A string field of nknd's flat JSON answers; enough here, and no JSON library is needed.
  private static String field(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(json);
    assertTrue(matcher.find(), "no " + name + " in " + json);
    return matcher.group(1);
  }
}

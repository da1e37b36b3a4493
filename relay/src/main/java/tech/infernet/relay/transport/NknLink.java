package tech.infernet.relay.transport;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import tech.infernet.nkn.NknAccount;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.nkn.NknException;
import tech.infernet.nkn.NknMessage;

/**
 * The relay's NKN client, connected in the background: joining blocks until a node accepts, and
 * the relay's phone-facing side must not wait for that (nor die when no node is up yet). Retries
 * with backoff until connected; after that the client reconnects by itself.
 */
public final class NknLink implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NknLink.class.getName());
  private final NknAccount account;
  private final NknClientOptions options;
  private final List<Consumer<NknMessage>> handlers = new CopyOnWriteArrayList<>();
  private final ExecutorService connector = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "relay-nkn-connect");
    t.setDaemon(true);
    return t;
  });
  private volatile NknClient client;
  private volatile boolean closed;

  public NknLink(byte[] seed, NknClientOptions options) {
    this.account = NknAccount.fromSeed(seed);
    this.options = options;
  }

  /** The relay's NKN address; known before it is connected. */
  public String address() {
    return account.address(options.identifier());
  }

  /** Hands every message the relay receives to {@code handler} (on the binding's delivery thread). */
  public void onMessage(Consumer<NknMessage> handler) {
    handlers.add(handler);
  }

  public void start() {
    connector.execute(() -> {
      long backoffMs = 1000;
      while (!closed) {
        try {
          NknClient c = NknClient.connect(account, options);
          c.onMessage(m -> handlers.forEach(h -> h.accept(m)));
          client = c;
          if (closed) {
            c.close();
          }
          LOG.info("relay on NKN at " + c.address());
          return;
        } catch (NknException e) {
          if (e.code() == NknException.Code.NATIVE_LIBRARY) {
            LOG.severe("the NKN binding cannot load, so the relay cannot reach agents: " + e.getMessage());
            return;
          }
          LOG.warning("NKN not reachable yet (" + e.code() + ": " + e.getMessage() + "); retrying in "
              + backoffMs / 1000 + " s");
          try {
            Thread.sleep(backoffMs);
          } catch (InterruptedException ie) {
            return;
          }
          backoffMs = Math.min(30_000, backoffMs * 2);
        }
      }
    });
  }

  /** The connected client, or empty while the relay is still joining NKN. */
  public Optional<NknClient> client() {
    return Optional.ofNullable(client);
  }

  @Override
  public void close() {
    closed = true;
    connector.shutdownNow();
    try {
      connector.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    NknClient c = client;
    if (c != null) {
      c.close();
    }
  }
}

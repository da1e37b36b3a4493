package tech.infernet.agent.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.agent.store.StoredResult;
import tech.infernet.client.SecureChannel;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknException;
import tech.infernet.nkn.NknSession;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.ErrorReply;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.message.TransferDone;
import tech.infernet.protocol.message.TransferOpen;
import tech.infernet.protocol.message.TransferReady;
import tech.infernet.protocol.transfer.ChunkSender;
import tech.infernet.protocol.transfer.Manifest;
import tech.infernet.protocol.transfer.PartialFile;
import tech.infernet.protocol.transfer.SessionFrames;

/**
 * Content too large for an envelope, over NKN sessions: a key dials the agent and opens a
 * transfer with a signed, sealed {@code transfer.open}, checked like any request (signature,
 * recipient, skew, replay, role, rate). A get streams a result's chunks the caller lacks; a put
 * receives a job spec's chunks into {@link Uploads}, resumable, and answers {@code transfer.done}
 * once the whole is verified and durable. Each chunk is checked against the signed manifest, so
 * the session itself needs no trust. Sessions are served on a few blocking threads (at most
 * two per key); more at once are turned away, and one that does not open its transfer within
 * {@link #FIRST_FRAME_TIMEOUT} is dropped.
 */
final class Transfers implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Transfers.class.getName());
  private static final int SESSIONS_AT_ONCE = 16;
  /** Sessions one NKN key may have open at once, so that one peer cannot take every worker. */
  private static final int SESSIONS_PER_KEY = 2;
  /** A session must open its transfer this soon: an idle dialler holds a worker no longer. */
  static final Duration FIRST_FRAME_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(30);
  private static final EnumSet<Role> MAY_TRANSFER = EnumSet.of(Role.OWNER, Role.SUBMITTER);

  private final NknClient nkn;
  private final SecureChannel channel;
  private final Access access;
  private final AgentRequests requests;
  private final Uploads uploads;
  private final ResultContent results;
  private final int maxEnvelopeBytes;
  private final ExecutorService workers;
  private final Thread acceptor;
  private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> openPerKey =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean closed;

  Transfers(NknClient nkn, SecureChannel channel, Access access, AgentRequests requests, Uploads uploads,
      ResultContent results, int maxEnvelopeBytes) {
    this.nkn = nkn;
    this.channel = channel;
    this.access = access;
    this.requests = requests;
    this.uploads = uploads;
    this.results = results;
    this.maxEnvelopeBytes = maxEnvelopeBytes;
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(0, SESSIONS_AT_ONCE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "nkn-transfer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::acceptLoop, "nkn-transfer-accept");
    this.acceptor.setDaemon(true);
  }

  void start() {
    uploads.sweep();
    // Anyone may dial: who they are is decided by the signed transfer.open, as for messages.
    nkn.listen(List.of(".*"));
    acceptor.start();
  }

  private void acceptLoop() {
    long sweptAt = System.nanoTime();
    while (!closed) {
      if (System.nanoTime() - sweptAt > TimeUnit.HOURS.toNanos(1)) {
        uploads.sweep(); // unclaimed uploads go a day after their last write, not only at start
        sweptAt = System.nanoTime();
      }
      Optional<NknSession> session;
      try {
        session = nkn.accept(Duration.ofSeconds(1));
      } catch (NknException e) {
        if (!closed) {
          LOG.warning("accepting NKN sessions: " + e.getMessage());
        }
        return;
      }
      session.ifPresent(this::dispatch);
    }
  }

  private void dispatch(NknSession session) {
    String sourceKey = SecureChannel.publicKeyOf(session.remoteAddress());
    java.util.concurrent.atomic.AtomicInteger mine =
        openPerKey.computeIfAbsent(sourceKey, k -> new java.util.concurrent.atomic.AtomicInteger());
    if (mine.incrementAndGet() > SESSIONS_PER_KEY) {
      mine.decrementAndGet();
      LOG.warning("transfer from " + session.remoteAddress() + " turned away: it has " + SESSIONS_PER_KEY + " open");
      session.close();
      return;
    }
    try {
      workers.execute(() -> {
        try {
          serve(session);
        } finally {
          mine.decrementAndGet();
        }
      });
    } catch (RejectedExecutionException busy) {
      mine.decrementAndGet();
      LOG.warning("transfer from " + session.remoteAddress() + " turned away: " + SESSIONS_AT_ONCE + " already running");
      session.close();
    }
  }

  void serve(NknSession session) {
    String sourceKey = SecureChannel.publicKeyOf(session.remoteAddress());
    String re = null;
    try (session) {
      session.setIoTimeout(FIRST_FRAME_TIMEOUT);
      InputStream in = session.getInputStream();
      OutputStream out = session.getOutputStream();
      try {
        byte[] first = SessionFrames.readEnvelope(in, maxEnvelopeBytes);
        if (first == null) {
          return;
        }
        session.setIoTimeout(IO_TIMEOUT);
        access.checkRate(sourceKey);
        SecureChannel.Inbound opened = channel.open(session.remoteAddress(), first);
        if (opened.payload() instanceof Payload.Request r) {
          re = r.id();
        }
        if (opened.carried()) {
          throw new RequestException(ErrorCode.FORBIDDEN, "a transfer is opened by its sender, not carried");
        }
        if (!(opened.payload() instanceof TransferOpen open)) {
          throw new RequestException(ErrorCode.UNSUPPORTED_TYPE,
              opened.payload().type().wireName() + " does not open a transfer");
        }
        Role role = access.role(opened.senderHex()).orElseThrow(
            () -> new RequestException(ErrorCode.UNAUTHORIZED, "this key is not paired with this agent"));
        if (!MAY_TRANSFER.contains(role)) {
          throw new RequestException(ErrorCode.FORBIDDEN, "role " + role.wireName() + " may not transfer content");
        }
        AgentRequests.Caller caller = new AgentRequests.Caller(opened.senderHex(), role);
        if (open.op() == TransferOpen.Op.GET) {
          sendResult(caller, open, opened.sender(), in, out);
        } else {
          receiveUpload(caller, open, opened.sender(), in, out);
        }
      } catch (ProtocolException e) {
        refuse(out, sourceKey, re, e.code(), e.reason(), null);
      } catch (RequestException e) {
        refuse(out, sourceKey, re, e.code(), e.getMessage(), e.field());
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "transfer with " + session.remoteAddress() + " ended: " + e.getMessage());
    }
  }

  private void sendResult(AgentRequests.Caller caller, TransferOpen open, byte[] peer, InputStream in, OutputStream out)
      throws IOException, RequestException {
    StoredResult result = requests.visibleResult(caller, open.jobId());
    if (!result.sha256().equals(open.sha256())) {
      throw new RequestException(ErrorCode.NOT_FOUND, "job " + open.jobId() + " has no result " + open.sha256(),
          "sha256", null);
    }
    Manifest manifest = results.manifest(result);
    if (!open.have().ranges().isEmpty()
        && open.have().ranges().get(open.have().ranges().size() - 1).last() >= manifest.chunkCount()) {
      throw new RequestException(ErrorCode.BAD_PAYLOAD, "have: ranges beyond the last chunk", "have", null);
    }
    SessionFrames.writeEnvelope(out, channel.seal(peer, new TransferReady(open.id(), manifest, open.have())));
    try (ResultContent.Open content = results.open(result)) {
      int sent = ChunkSender.send(out, manifest, open.have(), content.content());
      LOG.fine("sent " + sent + " of " + manifest.chunkCount() + " chunks of job " + open.jobId());
    }
    out.close(); // half-close: the receiver reads to the end, then closes its side
    drain(in);
  }

  private void receiveUpload(AgentRequests.Caller caller, TransferOpen open, byte[] peer, InputStream in,
      OutputStream out) throws IOException, RequestException, ProtocolException {
    try (PartialFile upload = uploads.open(caller.keyHex(), open.manifest())) {
      SessionFrames.writeEnvelope(out, channel.seal(peer, new TransferReady(open.id(), open.manifest(), upload.have())));
      upload.receive(in);
      if (!upload.isComplete()) {
        throw new RequestException(ErrorCode.MALFORMED,
            "the sender ended with " + upload.missingCount() + " chunks missing; open again to resume");
      }
      upload.complete();
    }
    SessionFrames.writeEnvelope(out, channel.seal(peer, new TransferDone(open.id(), open.sha256())));
    out.close();
  }

  /** Waits for the peer to close its side, so nothing still in flight is cut off by our close. */
  private static void drain(InputStream in) throws IOException {
    byte[] sink = new byte[1024];
    while (in.read(sink) >= 0) {
      // the peer should send nothing more; whatever it sends is ignored
    }
  }

  private void refuse(OutputStream out, String recipientHex, String re, ErrorCode code, String message, String field) {
    if (!recipientHex.matches("[0-9a-f]{64}")) {
      return;
    }
    try {
      String text = message == null ? "" : message.length() > 1000 ? message.substring(0, 1000) : message;
      SessionFrames.writeEnvelope(out, channel.seal(HexFormat.of().parseHex(recipientHex),
          new ErrorReply(re, code, text, field, null)));
      out.close();
    } catch (IOException | RuntimeException e) {
      LOG.fine("could not tell " + recipientHex + " why its transfer was refused: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    acceptor.interrupt();
    workers.shutdownNow();
    try {
      acceptor.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

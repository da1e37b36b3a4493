package tech.infernet.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknException;
import tech.infernet.nkn.NknSession;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.JobResult;
import tech.infernet.protocol.message.TransferDone;
import tech.infernet.protocol.message.TransferOpen;
import tech.infernet.protocol.message.TransferReady;
import tech.infernet.protocol.transfer.ChunkSender;
import tech.infernet.protocol.transfer.Manifest;
import tech.infernet.protocol.transfer.PartialFile;
import tech.infernet.protocol.transfer.SessionFrames;

/**
 * The client's side of transfers over NKN sessions (docs/protocol.md, section 9): puts a large
 * job spec to an agent and gets a large result from it, in chunks checked against the signed
 * manifest, resuming from what either side already holds. Blocking; runs on its own threads.
 */
final class Transfers implements AutoCloseable {
  /** Specs are at most 1 MiB; chunks of 64 KiB let an interrupted put resume part of the way. */
  static final int PUT_CHUNK_BYTES = 64 * 1024;
  private static final int MAX_REPLY_BYTES = 4 << 20;
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(60);

  private final NknClient nkn;
  private final NknAgentClient client;
  private final ExecutorService executor;

  Transfers(NknClient nkn, NknAgentClient client) {
    this.nkn = nkn;
    this.client = client;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "infernet-transfer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  ExecutorService executor() {
    return executor;
  }

  /** Puts content to the agent, sending only the chunks it lacks; returns the content's SHA-256. */
  String put(String agent, byte[] content) {
    Manifest manifest = Manifest.of(content, PUT_CHUNK_BYTES);
    TransferOpen open = TransferOpen.put(UUID.randomUUID().toString(), manifest);
    try (NknSession session = dial(agent)) {
      OutputStream out = session.getOutputStream();
      InputStream in = session.getInputStream();
      SessionFrames.writeEnvelope(out, client.sealTo(agent, open));
      TransferReady ready = answer(agent, open, session, in, TransferReady.class);
      ChunkSender.send(out, manifest, ready.have(), ChunkSender.Content.of(content));
      out.close();
      answer(agent, open, session, in, TransferDone.class);
      return manifest.sha256();
    } catch (IOException e) {
      throw new AgentException(ErrorCode.UNAVAILABLE, "the transfer to " + agent + " broke off: " + e.getMessage(), null);
    }
  }

  /** Writes result to destination: from the reply when inline, else through a get transfer. */
  ResultFile get(String agent, JobResult result, Path destination) {
    try {
      if (result.content() != null) {
        if (!sha256(result.content()).equals(result.sha256())) {
          throw new ProtocolException(ErrorCode.CONTENT_MISMATCH, "the inline result does not match its SHA-256");
        }
        Path tmp = destination.resolveSibling(destination.getFileName() + ".part");
        Files.write(tmp, result.content());
        move(tmp, destination);
        return new ResultFile(destination, result.size(), result.sha256(), 0);
      }
      try (PartialFile partial = PartialFile.open(destination, result.manifest())) {
        if (!partial.isComplete()) {
          fetchMissing(agent, result, partial);
        }
        partial.complete();
        return new ResultFile(destination, result.size(), result.sha256(), partial.received());
      }
    } catch (ProtocolException e) {
      throw new AgentException(e.code(), "the result of " + result.jobId() + " did not verify: " + e.reason(), null);
    } catch (IOException e) {
      throw new AgentException(ErrorCode.UNAVAILABLE,
          "fetching the result of " + result.jobId() + " broke off (fetch again to resume): " + e.getMessage(), null);
    }
  }

  private void fetchMissing(String agent, JobResult result, PartialFile partial) throws IOException, ProtocolException {
    TransferOpen open = TransferOpen.get(UUID.randomUUID().toString(), result.jobId(), result.sha256(), partial.have());
    try (NknSession session = dial(agent)) {
      InputStream in = session.getInputStream();
      SessionFrames.writeEnvelope(session.getOutputStream(), client.sealTo(agent, open));
      TransferReady ready = answer(agent, open, session, in, TransferReady.class);
      if (!ready.manifest().equals(result.manifest())) {
        throw new ProtocolException(ErrorCode.CONTENT_MISMATCH, "the agent offers other content than its job.result named");
      }
      partial.receive(in);
    }
  }

  private NknSession dial(String agent) {
    try {
      NknSession session = nkn.dial(agent, DIAL_TIMEOUT);
      session.setIoTimeout(IO_TIMEOUT);
      return session;
    } catch (NknException e) {
      throw new AgentException(ErrorCode.UNAVAILABLE, "no session to " + agent + ": " + e.getMessage(), null);
    }
  }

  private <R extends tech.infernet.protocol.message.Payload.Reply> R answer(String agent, TransferOpen open,
      NknSession session, InputStream in, Class<R> type) throws IOException {
    byte[] envelope;
    try {
      envelope = SessionFrames.readEnvelope(in, MAX_REPLY_BYTES);
    } catch (ProtocolException e) {
      throw new AgentException(e.code(), "the agent's answer on the session was refused: " + e.reason(), null);
    }
    if (envelope == null) {
      throw new AgentException(ErrorCode.UNAVAILABLE, "the agent closed the session without answering", null);
    }
    return client.openReply(agent, open.id(), session.remoteAddress(), envelope, type);
  }

  private static String sha256(byte[] content) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

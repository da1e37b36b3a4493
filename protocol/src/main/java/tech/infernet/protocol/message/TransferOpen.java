package tech.infernet.protocol.message;

import java.util.Objects;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.transfer.Manifest;
import tech.infernet.protocol.transfer.Ranges;

/**
 * {@code transfer.open}: the first frame on an NKN session, from the side that dialled it.
 * <ul>
 *   <li>{@code get}: send me the result of {@code jobId}, whose SHA-256 is {@code sha256}; I hold
 *       the chunks in {@code have} already (a resume).
 *   <li>{@code put}: I am sending the content {@code manifest} describes (a job spec too large for
 *       an envelope, submitted afterwards by its SHA-256).
 * </ul>
 * Answered by {@link TransferReady} (then the chunks flow) or an error.
 */
public record TransferOpen(String id, Op op, String jobId, String sha256, Manifest manifest, Ranges have)
    implements Payload.Request {
  /** Which way the content flows: get (to the dialler) or put (from it). */
  public enum Op {
    GET("get"), PUT("put");

    private final String wireName;

    Op(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public TransferOpen {
    Ids.id(id, "id");
    Objects.requireNonNull(op, "op");
    Ids.sha256(sha256, "sha256");
    have = have == null ? Ranges.NONE : have;
    if (op == Op.GET) {
      Ids.id(jobId, "jobId");
      if (manifest != null) {
        throw new IllegalArgumentException("manifest: only a put carries a manifest");
      }
    } else {
      if (jobId != null) {
        throw new IllegalArgumentException("jobId: only a get names a job");
      }
      if (manifest == null || !manifest.sha256().equals(sha256)) {
        throw new IllegalArgumentException("manifest: a put carries the manifest of sha256");
      }
      if (!have.ranges().isEmpty()) {
        throw new IllegalArgumentException("have: only a get says what it holds");
      }
    }
  }

  public static TransferOpen get(String id, String jobId, String sha256, Ranges have) {
    return new TransferOpen(id, Op.GET, jobId, sha256, null, have);
  }

  public static TransferOpen put(String id, Manifest manifest) {
    return new TransferOpen(id, Op.PUT, null, manifest.sha256(), manifest, Ranges.NONE);
  }

  @Override
  public MessageType type() {
    return MessageType.TRANSFER_OPEN;
  }
}

package tech.infernet.protocol.message;

import java.util.Arrays;
import java.util.Objects;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.transfer.Manifest;

/**
 * Reply to {@code job.result}: the result's size and SHA-256, and either the bytes themselves
 * ({@code content}, up to {@link Manifest#INLINE_MAX}) or, for larger results, the manifest to
 * fetch them with through a {@code transfer.open} get.
 */
public record JobResult(String re, String jobId, long size, String sha256, byte[] content, Manifest manifest)
    implements Payload.Reply {
  public JobResult {
    Ids.id(re, "re");
    Ids.id(jobId, "jobId");
    Ids.sha256(sha256, "sha256");
    Ids.nonNegative(size, "size");
    if ((content == null) == (manifest == null)) {
      throw new IllegalArgumentException("content: exactly one of content and manifest");
    }
    if (content != null) {
      if (content.length > Manifest.INLINE_MAX || content.length != size) {
        throw new IllegalArgumentException("content: inline content is the whole result, at most "
            + Manifest.INLINE_MAX + " bytes");
      }
      content = content.clone();
    } else if (manifest.size() != size || !manifest.sha256().equals(sha256)) {
      throw new IllegalArgumentException("manifest: describes other content than size and sha256");
    }
  }

  @Override
  public byte[] content() {
    return content == null ? null : content.clone();
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_RESULT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobResult r && r.re.equals(re) && r.jobId.equals(jobId) && r.size == size
        && r.sha256.equals(sha256) && Arrays.equals(r.content, content) && Objects.equals(r.manifest, manifest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(re, jobId, size, sha256, Arrays.hashCode(content), manifest);
  }

  @Override
  public String toString() {
    return "JobResult[re=" + re + ", jobId=" + jobId + ", size=" + size + ", sha256=" + sha256
        + (content != null ? ", inline" : ", " + manifest.chunkCount() + " chunks") + "]";
  }
}

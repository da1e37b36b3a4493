package tech.infernet.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Message types with their wire name (JSON form) and one-byte code (binary form). Both are part
 * of the protocol: never renumber or rename, only add.
 */
public enum MessageType {
  JOB_SUBMIT("job.submit", 1),
  JOB_CANCEL("job.cancel", 2),
  JOB_GET("job.get", 3),
  JOB_LIST("job.list", 4),
  /** Agent to owner: one event of a job, with the job id and its per-job sequence number. */
  JOB_EVENT("job.event", 5),
  EVENT_ACK("event.ack", 6),
  AGENT_INFO("agent.info", 7),
  PAIR_REQUEST("pair.request", 8),
  PAIR_RESULT("pair.result", 9),
  ERROR("error", 10),
  /**
   * Agent to carrier (relay): a {@code job.event} sealed to its owner, handed to the carrier
   * that reaches the owner, with the clear job id, sequence and status the carrier needs to store,
   * route and push it. Acknowledged by the carrier with {@code event.ack}.
   */
  EVENT_CARRY("event.carry", 11),
  /** A finished job's result: inline when small, else its manifest for a {@code transfer.open} get. */
  JOB_RESULT("job.result", 12),
  /**
   * The first frame on an NKN session that moves content in chunks: get a result, or put content
   * (a large job spec) for a later {@code job.submit} by reference.
   */
  TRANSFER_OPEN("transfer.open", 13),
  /** The receiver of a put holds the whole content, verified and durable. */
  TRANSFER_DONE("transfer.done", 14),
  /**
   * Agent to owner: several {@code job.event}s in one envelope (fewer NKN messages, seals and
   * acknowledgements when events come faster than they are acknowledged), answered by the list of
   * the ones acknowledged.
   */
  JOB_EVENTS("job.events", 15);

  private static final Map<String, MessageType> BY_NAME = new HashMap<>();
  private static final MessageType[] BY_CODE = new MessageType[256];

  static {
    for (MessageType t : values()) {
      BY_NAME.put(t.wireName, t);
      BY_CODE[t.code] = t;
    }
  }

  private final String wireName;
  private final int code;

  MessageType(String wireName, int code) {
    this.wireName = wireName;
    this.code = code;
  }

  public String wireName() {
    return wireName;
  }

  /** The byte that stands for this type in the binary form and in the signed bytes. */
  public int code() {
    return code;
  }

  public static Optional<MessageType> fromWire(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  public static Optional<MessageType> fromCode(int code) {
    return code < 0 || code > 255 ? Optional.empty() : Optional.ofNullable(BY_CODE[code]);
  }
}

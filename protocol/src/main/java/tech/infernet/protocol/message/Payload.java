package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/**
 * The plaintext inside an envelope, one record per message type and direction. Requests carry an
 * {@code id} chosen by the sender; replies carry {@code re}, the id they answer. Encoded as JSON
 * by {@link Payloads}.
 */
public sealed interface Payload
    permits Payload.Request, Payload.Reply, JobEvent, EventAck, EventCarry, JobEvents, EventAcks {
  MessageType type();

  /** A request: answered by a {@link Reply} of the same type, or by an {@link ErrorReply}. */
  sealed interface Request extends Payload
      permits JobSubmit, JobCancel, JobGet, JobList, AgentInfoRequest, PairRequest, JobResultGet, TransferOpen {
    String id();
  }

  /** A reply to the request whose id is {@code re}. */
  sealed interface Reply extends Payload
      permits JobAccepted, JobCancelled, JobStatus, JobPage, AgentInfo, PairResult, ErrorReply, JobResult,
          TransferReady, TransferDone {
    String re();
  }
}

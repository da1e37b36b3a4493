package tech.infernet.mobile.rest;

/**
 * The REST error codes besides the auth ones ({@link tech.infernet.mobile.auth.AuthError}, all
 * 401): each with its HTTP status. Error bodies are {@code {"error":{"code","message"[,"field"]}}}.
 * The codes are stable: never rename, only add.
 */
public enum ApiError {
  MALFORMED_JSON(400, "malformed_json"),
  INVALID_FIELD(400, "invalid_field"),
  INVALID_QUERY(400, "invalid_query"),
  INVALID_HEADER(400, "invalid_header"),
  /** The envelope does not decode; {@code detail} carries the protocol's code (malformed, oversize...). */
  INVALID_ENVELOPE(400, "invalid_envelope"),
  BAD_SIGNATURE(400, "bad_signature"),
  CLOCK_SKEW(400, "clock_skew"),
  /** The envelope was sent by another key than the caller's. */
  SENDER_MISMATCH(403, "sender_mismatch"),
  NOT_FOUND(404, "not_found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  REPLAYED(409, "replayed"),
  /** The envelope's recipient is not an agent the caller linked ({@code PUT /v1/agents/{agentKeyId}}). */
  AGENT_NOT_LINKED(409, "agent_not_linked"),
  BODY_TOO_LARGE(413, "body_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  /** The envelope decodes but is of the wrong message type for this endpoint. */
  WRONG_MESSAGE_TYPE(422, "wrong_message_type"),
  RATE_LIMITED(429, "rate_limited"),
  INTERNAL(500, "internal"),
  /** The envelope could not be handed on (agent unreachable, relay shutting down). */
  UNAVAILABLE(503, "unavailable"),
  /** The hand-off did not complete in time. */
  FORWARD_TIMEOUT(504, "forward_timeout");

  private final int status;
  private final String code;

  ApiError(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}

package tech.infernet.mobile.push;

/**
 * What became of one push to one token, in the terms of FCM's error contract.
 *
 * @param retryAfterMs for {@link Kind#RETRY}: the wait the provider asked for (Retry-After), or -1
 * @param detail the provider's error code or message, for logs
 */
public record PushOutcome(String token, Kind kind, long retryAfterMs, String detail) {
  public enum Kind {
    /** Accepted by the provider. */
    SENT,
    /** UNREGISTERED or SENDER_ID_MISMATCH: the token is dead or not ours; drop it. */
    DROP_TOKEN,
    /** INVALID_ARGUMENT: a bug in the message or a malformed token; logged, never retried. */
    INVALID,
    /** QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL: retry later with backoff, honouring Retry-After. */
    RETRY,
    /** THIRD_PARTY_AUTH_ERROR: the APNs/Web Push credentials in the Firebase project are wrong; alert the operator. */
    AUTH_ERROR,
    /** Anything else: logged, not retried. */
    FAILED
  }

  static PushOutcome sent(String token) {
    return new PushOutcome(token, Kind.SENT, -1, "");
  }
}

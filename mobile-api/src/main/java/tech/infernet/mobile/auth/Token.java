package tech.infernet.mobile.auth;

/**
 * A verified bearer token.
 *
 * @param keyId the phone's key id (base64url public key) the token is bound to
 * @param sessionId shared by every access and refresh token of one login; revoking it logs out
 * @param tokenId this token's own id
 */
public record Token(Kind kind, String keyId, String sessionId, String tokenId, long issuedAtMs,
    long expiresAtMs) {
  /** Access tokens authorize requests; refresh tokens only buy the next pair. */
  public enum Kind {
    ACCESS,
    REFRESH
  }
}

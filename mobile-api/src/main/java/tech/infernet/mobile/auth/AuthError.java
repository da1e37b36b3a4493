package tech.infernet.mobile.auth;

/** Why a login, token or refresh was refused. The wire names are stable: never rename, only add. */
public enum AuthError {
  /** No credentials, or not in the expected form. */
  MISSING_TOKEN("missing_token"),
  /** The token does not parse or its MAC does not verify (forged or damaged). */
  INVALID_TOKEN("invalid_token"),
  /** The token's lifetime is over. */
  TOKEN_EXPIRED("token_expired"),
  /** The token's session was logged out or revoked. */
  TOKEN_REVOKED("token_revoked"),
  /** An access token where a refresh token is required, or the reverse. */
  WRONG_TOKEN_KIND("wrong_token_kind"),
  /** The challenge does not parse or was not issued by this relay. */
  INVALID_CHALLENGE("invalid_challenge"),
  /** The challenge's lifetime is over. */
  CHALLENGE_EXPIRED("challenge_expired"),
  /** The challenge was already used for a login. */
  CHALLENGE_USED("challenge_used"),
  /** The public key is not a valid Ed25519 point of prime order. */
  BAD_KEY("bad_key"),
  /** The signature over the challenge does not verify. */
  BAD_SIGNATURE("bad_signature"),
  /** The key is valid but this relay does not serve it. */
  KEY_NOT_ALLOWED("key_not_allowed"),
  /** Too many unexpired challenges in use; try again shortly. */
  BUSY("auth_busy");

  private final String wireName;

  AuthError(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}

package tech.infernet.mobile.auth;

/** A refused login or token, with a stable {@link AuthError}. */
public final class AuthException extends Exception {
  private static final long serialVersionUID = 1L;

  private final AuthError error;

  public AuthException(AuthError error, String message) {
    super(message);
    this.error = error;
  }

  public AuthError error() {
    return error;
  }
}

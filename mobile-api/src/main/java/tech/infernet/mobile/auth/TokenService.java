package tech.infernet.mobile.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tech.infernet.protocol.internal.Base64Url;

/**
 * Bearer tokens bound to a phone's key: {@code "ie1." + base64url(body) + "." + base64url(mac)},
 * body = {@code kind(1) | publicKey(32) | sessionId(16) | tokenId(16) | issuedAt(8) | expiresAt(8)},
 * mac = HMAC-SHA256(relay secret, domain | body). Stateless to verify (MAC, expiry) plus one
 * look-up in the {@link Revocations}. A refresh rotates: the used refresh token is revoked, and
 * presenting a revoked refresh token again revokes its whole session (a stolen copy was used).
 */
public final class TokenService {
  private static final String PREFIX = "ie1.";
  private static final byte[] DOMAIN = "infernet/mobile-token/v1\0".getBytes(StandardCharsets.US_ASCII);
  private static final int BODY = 1 + 32 + 16 + 16 + 8 + 8;
  /** Longest token string accepted before any decoding: longer input is refused unread. */
  public static final int MAX_LENGTH = PREFIX.length() + 108 + 1 + 43;

  private final byte[] secret;
  private final Clock clock;
  private final Duration accessTtl;
  private final Duration refreshTtl;
  private final Revocations revocations;
  private final SecureRandom random = new SecureRandom();

  public TokenService(byte[] secret, Clock clock, Duration accessTtl, Duration refreshTtl,
      Revocations revocations) {
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("secret: at least 32 bytes");
    }
    this.secret = secret.clone();
    this.clock = clock;
    this.accessTtl = accessTtl;
    this.refreshTtl = refreshTtl;
    this.revocations = revocations;
  }

  /** A new session for {@code publicKey} (after a verified login). */
  public TokenPair issue(byte[] publicKey) {
    return pair(publicKey, randomId());
  }

  /** Verifies an access token (the value after {@code Bearer }). */
  public Token verifyAccess(String token) throws AuthException {
    Token t = verify(token);
    if (t.kind() != Token.Kind.ACCESS) {
      throw new AuthException(AuthError.WRONG_TOKEN_KIND, "an access token is required");
    }
    return t;
  }

  /** Verifies a refresh token, revokes it and returns a new pair for the same session. */
  public CompletableFuture<TokenPair> refresh(String refreshToken) {
    Token t;
    try {
      t = verify(refreshToken);
      if (t.kind() != Token.Kind.REFRESH) {
        throw new AuthException(AuthError.WRONG_TOKEN_KIND, "a refresh token is required");
      }
    } catch (AuthException e) {
      if (e.error() == AuthError.TOKEN_REVOKED) {
        Token reused = parseQuietly(refreshToken);
        if (reused != null && reused.kind() == Token.Kind.REFRESH
            && !revocations.isRevoked(reused.sessionId())) {
          return revocations.revoke(reused.sessionId(), reused.expiresAtMs() + refreshTtl.toMillis())
              .thenCompose(v -> CompletableFuture.failedFuture(e));
        }
      }
      return CompletableFuture.failedFuture(e);
    }
    byte[] pk = KeyIds.parse(t.keyId());
    TokenPair next = pair(pk, t.sessionId());
    return revocations.revoke(t.tokenId(), t.expiresAtMs()).thenApply(v -> next);
  }

  /** Ends the session of {@code t}: every access and refresh token of that login stops working. */
  public CompletableFuture<Void> logout(Token t) {
    return revocations.revoke(t.sessionId(), clock.millis() + refreshTtl.toMillis());
  }

  public Duration accessTtl() {
    return accessTtl;
  }

  private Token verify(String token) throws AuthException {
    Token t = parse(token);
    if (t.expiresAtMs() <= clock.millis()) {
      throw new AuthException(AuthError.TOKEN_EXPIRED, "token expired");
    }
    if (revocations.isRevoked(t.sessionId()) || revocations.isRevoked(t.tokenId())) {
      throw new AuthException(AuthError.TOKEN_REVOKED, "token revoked");
    }
    return t;
  }

  private Token parseQuietly(String token) {
    try {
      return parse(token);
    } catch (AuthException e) {
      return null;
    }
  }

  private Token parse(String token) throws AuthException {
    if (token == null || token.isEmpty()) {
      throw new AuthException(AuthError.MISSING_TOKEN, "no token");
    }
    if (token.length() > MAX_LENGTH || !token.startsWith(PREFIX)) {
      throw new AuthException(AuthError.INVALID_TOKEN, "not a token of this relay");
    }
    int dot = token.indexOf('.', PREFIX.length());
    byte[] body = dot < 0 ? null : Base64Url.decode(token.substring(PREFIX.length(), dot));
    byte[] mac = dot < 0 ? null : Base64Url.decode(token.substring(dot + 1));
    if (body == null || mac == null || body.length != BODY || !MessageDigest.isEqual(mac, mac(body))) {
      throw new AuthException(AuthError.INVALID_TOKEN, "token damaged or forged");
    }
    ByteBuffer b = ByteBuffer.wrap(body);
    int kind = b.get();
    if (kind != 1 && kind != 2) {
      throw new AuthException(AuthError.INVALID_TOKEN, "unknown token kind");
    }
    byte[] pk = new byte[32];
    byte[] sid = new byte[16];
    byte[] jti = new byte[16];
    b.get(pk).get(sid).get(jti);
    long iat = b.getLong();
    long exp = b.getLong();
    return new Token(kind == 1 ? Token.Kind.ACCESS : Token.Kind.REFRESH, KeyIds.of(pk),
        Base64Url.encode(sid), Base64Url.encode(jti), iat, exp);
  }

  private TokenPair pair(byte[] pk, String sessionId) {
    long now = clock.millis();
    long aexp = now + accessTtl.toMillis();
    long rexp = now + refreshTtl.toMillis();
    String access = encode(1, pk, sessionId, now, aexp);
    String refresh = encode(2, pk, sessionId, now, rexp);
    return new TokenPair(KeyIds.of(pk), access, aexp, refresh, rexp, sessionId);
  }

  private String encode(int kind, byte[] pk, String sessionId, long iat, long exp) {
    byte[] jti = new byte[16];
    random.nextBytes(jti);
    byte[] body = ByteBuffer.allocate(BODY).put((byte) kind).put(pk).put(Base64Url.decode(sessionId))
        .put(jti).putLong(iat).putLong(exp).array();
    return PREFIX + Base64Url.encode(body) + "." + Base64Url.encode(mac(body));
  }

  private byte[] mac(byte[] body) {
    return Challenges.Hmac.sha256(secret, DOMAIN, body, 0, body.length);
  }

  private String randomId() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return Base64Url.encode(b);
  }
}

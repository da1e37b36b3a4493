package tech.infernet.mobile.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.ReplayCache;
import tech.infernet.protocol.internal.Base64Url;

/**
 * Login challenges. A challenge is {@code nonce(16) | expiresAt(8) | mac(16)}, base64url: the
 * relay keeps no state until a login uses it (then the nonce is remembered until expiry, so each
 * challenge logs in once). The phone signs, with its Ed25519 key,
 * {@code "infernet/mobile-login/v1\0" | len(relayId) u16 | relayId | challenge bytes | publicKey}:
 * the domain prefix keeps this signature from being taken for an envelope or anything else, the
 * relay id keeps a login for one relay from being replayed at another.
 */
public final class Challenges {
  static final byte[] DOMAIN = "infernet/mobile-login/v1\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAC_DOMAIN = "infernet/mobile-challenge-mac/v1\0".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE = 16;
  private static final int MAC = 16;
  static final int BYTES = NONCE + 8 + MAC;
  private static final byte[] CACHE_SENDER = new byte[32];

  private final String relayId;
  private final byte[] secret;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();
  private final ReplayCache used;

  public Challenges(String relayId, byte[] secret, Clock clock, Duration ttl, int maxOutstanding) {
    if (relayId == null || relayId.isEmpty() || relayId.length() > 256) {
      throw new IllegalArgumentException("relayId: 1-256 characters");
    }
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("secret: at least 32 bytes");
    }
    this.relayId = relayId;
    this.secret = secret.clone();
    this.clock = clock;
    this.ttl = ttl;
    this.used = new InMemoryReplayCache(maxOutstanding);
  }

  public String relayId() {
    return relayId;
  }

  public Challenge issue() {
    byte[] b = new byte[BYTES];
    random.nextBytes(b);
    long exp = clock.millis() + ttl.toMillis();
    ByteBuffer.wrap(b, NONCE, 8).putLong(exp);
    System.arraycopy(mac(b), 0, b, NONCE + 8, MAC);
    return new Challenge(Base64Url.encode(b), relayId, exp);
  }

  /**
   * Checks a login: the challenge is ours and fresh, the key valid, the signature good; then marks
   * the challenge used. Returns the phone's public key.
   */
  public byte[] verify(String challenge, String keyId, String signature) throws AuthException {
    byte[] c = challenge == null ? null : Base64Url.decode(challenge);
    if (c == null || c.length != BYTES
        || !MessageDigest.isEqual(Arrays.copyOfRange(c, NONCE + 8, BYTES), mac(c))) {
      throw new AuthException(AuthError.INVALID_CHALLENGE, "not a challenge issued by this relay");
    }
    long now = clock.millis();
    long exp = ByteBuffer.wrap(c, NONCE, 8).getLong();
    if (exp <= now) {
      throw new AuthException(AuthError.CHALLENGE_EXPIRED, "challenge expired");
    }
    byte[] pk = KeyIds.parse(keyId);
    if (pk == null) {
      throw new AuthException(AuthError.BAD_KEY, "keyId must be the base64url of a valid Ed25519 public key");
    }
    byte[] sig = signature == null ? null : Base64Url.decode(signature);
    if (sig == null || sig.length != Ed25519.SIGNATURE_SIZE) {
      throw new AuthException(AuthError.BAD_SIGNATURE, "signature must be 64 bytes of base64url");
    }
    byte[] msg = signedBytes(relayId, c, pk);
    if (!Ed25519.verify(sig, 0, pk, 0, msg, 0, msg.length)) {
      throw new AuthException(AuthError.BAD_SIGNATURE, "signature does not verify");
    }
    ReplayCache.Result r;
    try {
      r = used.checkAndRecord(CACHE_SENDER, Arrays.copyOf(c, NONCE + 8), exp, now);
    } catch (IOException e) {
      throw new AuthException(AuthError.BUSY, "challenge cache unavailable");
    }
    if (r == ReplayCache.Result.REPLAYED) {
      throw new AuthException(AuthError.CHALLENGE_USED, "challenge already used");
    }
    if (r == ReplayCache.Result.FULL) {
      throw new AuthException(AuthError.BUSY, "too many logins in progress");
    }
    return pk;
  }

  /** What the phone signs for {@code challenge} (its decoded bytes) at {@code relayId}. */
  public static byte[] signedBytes(String relayId, byte[] challenge, byte[] publicKey) {
    byte[] rid = relayId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(DOMAIN.length + 2 + rid.length + challenge.length + publicKey.length)
        .put(DOMAIN).putShort((short) rid.length).put(rid).put(challenge).put(publicKey).array();
  }

  /** The phone's side: signs {@code challenge} for {@code relayId}; returns the base64url signature. */
  public static String sign(KeyPair phone, String relayId, String challenge) {
    byte[] c = Base64Url.decode(challenge);
    if (c == null) {
      throw new IllegalArgumentException("challenge is not base64url");
    }
    byte[] pk = phone.publicKey();
    byte[] msg = signedBytes(relayId, c, pk);
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    byte[] seed = phone.seed();
    Ed25519.sign(seed, 0, pk, 0, msg, 0, msg.length, sig, 0);
    Arrays.fill(seed, (byte) 0);
    return Base64Url.encode(sig);
  }

  private byte[] mac(byte[] challenge) {
    return Arrays.copyOf(Hmac.sha256(secret, MAC_DOMAIN, challenge, 0, NONCE + 8), MAC);
  }

  /** HMAC-SHA256 over {@code domain | data[off, off+len)}. */
  static final class Hmac {
    private Hmac() {}

    static byte[] sha256(byte[] key, byte[] domain, byte[] data, int off, int len) {
      try {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        m.update(domain);
        m.update(data, off, len);
        return m.doFinal();
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
    }
  }
}

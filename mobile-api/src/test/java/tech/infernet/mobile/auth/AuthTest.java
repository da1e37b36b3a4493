package tech.infernet.mobile.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.mobile.store.Database;
import tech.infernet.protocol.KeyPair;

class AuthTest {
  static final byte[] SECRET = new byte[32];
  @TempDir Path dir;
  MutableClock clock = new MutableClock();
  Database db;
  Challenges challenges;
  TokenService tokens;
  KeyPair phone = KeyPair.generate(new SecureRandom());

  @BeforeEach
  void setUp() throws Exception {
    db = Database.open(dir.resolve("relay.db"));
    challenges = new Challenges("relay-1", SECRET, clock, Duration.ofMinutes(2), 1000);
    tokens = new TokenService(SECRET, clock, Duration.ofMinutes(15), Duration.ofDays(30), Revocations.open(db, clock));
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  String keyId() {
    return KeyIds.of(phone.publicKey());
  }

  @Test
  void loginOnceThenTokenWorksUntilExpiry() throws Exception {
    Challenge c = challenges.issue();
    String sig = Challenges.sign(phone, "relay-1", c.value());
    assertArrayEquals(phone.publicKey(), challenges.verify(c.value(), keyId(), sig));
    assertEquals(AuthError.CHALLENGE_USED,
        assertThrows(AuthException.class, () -> challenges.verify(c.value(), keyId(), sig)).error());

    TokenPair p = tokens.issue(phone.publicKey());
    Token t = tokens.verifyAccess(p.accessToken());
    assertEquals(keyId(), t.keyId());
    assertEquals(AuthError.WRONG_TOKEN_KIND,
        assertThrows(AuthException.class, () -> tokens.verifyAccess(p.refreshToken())).error());
    clock.advance(Duration.ofMinutes(16));
    assertEquals(AuthError.TOKEN_EXPIRED,
        assertThrows(AuthException.class, () -> tokens.verifyAccess(p.accessToken())).error());
  }

  @Test
  void loginRefusesOtherRelaysWrongKeysAndStaleChallenges() {
    Challenge c = challenges.issue();
    String otherRelay = Challenges.sign(phone, "relay-2", c.value());
    assertEquals(AuthError.BAD_SIGNATURE,
        assertThrows(AuthException.class, () -> challenges.verify(c.value(), keyId(), otherRelay)).error());
    KeyPair other = KeyPair.generate(new SecureRandom());
    String byOther = Challenges.sign(other, "relay-1", c.value());
    assertEquals(AuthError.BAD_SIGNATURE,
        assertThrows(AuthException.class, () -> challenges.verify(c.value(), keyId(), byOther)).error());
    assertEquals(AuthError.BAD_KEY,
        assertThrows(AuthException.class, () -> challenges.verify(c.value(), "A".repeat(43), byOther)).error());
    Challenges forger = new Challenges("relay-1", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}, clock, Duration.ofMinutes(2), 10);
    String forged = forger.issue().value();
    assertEquals(AuthError.INVALID_CHALLENGE, assertThrows(AuthException.class,
        () -> challenges.verify(forged, keyId(), Challenges.sign(phone, "relay-1", forged))).error());
    for (String junk : new String[] {null, "", "!!", "A".repeat(100_000)}) {
      assertEquals(AuthError.INVALID_CHALLENGE,
          assertThrows(AuthException.class, () -> challenges.verify(junk, keyId(), otherRelay)).error());
    }
    clock.advance(Duration.ofMinutes(3));
    assertEquals(AuthError.CHALLENGE_EXPIRED, assertThrows(AuthException.class,
        () -> challenges.verify(c.value(), keyId(), Challenges.sign(phone, "relay-1", c.value()))).error());
  }

  @Test
  void forgedAndDamagedTokensAreRefused() {
    TokenPair p = tokens.issue(phone.publicKey());
    byte[] otherSecret = new byte[32];
    otherSecret[0] = 1;
    TokenService otherRelay = new TokenService(otherSecret, clock, Duration.ofMinutes(15), Duration.ofDays(1),
        Revocations.open(db, clock));
    String foreign = otherRelay.issue(phone.publicKey()).accessToken();
    String flipped = p.accessToken().substring(0, 10) + (p.accessToken().charAt(10) == 'A' ? 'B' : 'A')
        + p.accessToken().substring(11);
    for (String bad : new String[] {foreign, flipped, "ie1.", "ie1.x.y", "Bearer", "ie1." + "A".repeat(500)}) {
      assertEquals(AuthError.INVALID_TOKEN, assertThrows(AuthException.class, () -> tokens.verifyAccess(bad)).error(), bad);
    }
    assertEquals(AuthError.MISSING_TOKEN, assertThrows(AuthException.class, () -> tokens.verifyAccess("")).error());
  }

  @Test
  void refreshRotatesAndReuseRevokesTheSession() throws Exception {
    TokenPair p1 = tokens.issue(phone.publicKey());
    TokenPair p2 = tokens.refresh(p1.refreshToken()).join();
    assertEquals(p1.sessionId(), p2.sessionId());
    tokens.verifyAccess(p2.accessToken());
    CompletionException reuse = assertThrows(CompletionException.class, () -> tokens.refresh(p1.refreshToken()).join());
    assertEquals(AuthError.TOKEN_REVOKED, ((AuthException) reuse.getCause()).error());
    // the stolen-refresh signal ends the whole session, including the newest tokens
    assertEquals(AuthError.TOKEN_REVOKED,
        assertThrows(AuthException.class, () -> tokens.verifyAccess(p2.accessToken())).error());
  }

  @Test
  void logoutSurvivesRestart() throws Exception {
    TokenPair p = tokens.issue(phone.publicKey());
    TokenPair other = tokens.issue(phone.publicKey());
    tokens.logout(tokens.verifyAccess(p.accessToken())).join();
    db.close();
    db = Database.open(dir.resolve("relay.db"));
    TokenService restarted = new TokenService(SECRET, clock, Duration.ofMinutes(15), Duration.ofDays(30),
        Revocations.open(db, clock));
    assertEquals(AuthError.TOKEN_REVOKED,
        assertThrows(AuthException.class, () -> restarted.verifyAccess(p.accessToken())).error());
    assertEquals(AuthError.TOKEN_REVOKED, assertThrows(CompletionException.class,
        () -> restarted.refresh(p.refreshToken()).join()).getCause() instanceof AuthException a ? a.error() : null);
    restarted.verifyAccess(other.accessToken());
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile long ms = 1_800_000_000_000L;

    void advance(Duration d) {
      ms += d.toMillis();
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return ms;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(ms);
    }
  }
}

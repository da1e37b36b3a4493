package tech.infernet.mobile.push;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import tech.infernet.mobile.store.Database;

/**
 * The phones' FCM registration tokens, in SQLite: each with its owner key, platform and last-seen
 * time (refreshed whenever the phone registers it again, as apps do at start). A key holds at
 * most {@code maxPerKey} tokens (the least recently seen goes); tokens unseen for longer than
 * the stale age are pruned, as FCM advises (about a month).
 */
public final class PushTokens {
  /** FCM tokens are opaque; today about 150-200 characters of this alphabet. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_:\\-.]{16,4096}");
  private static final Pattern PLATFORM = Pattern.compile("android|ios|web");

  /** A registered token. */
  public record Registration(String token, String keyId, String platform, long createdMs, long lastSeenMs) {}

  private final Database db;
  private final Clock clock;
  private final int maxPerKey;

  private PushTokens(Database db, Clock clock, int maxPerKey) {
    this.db = db;
    this.clock = clock;
    this.maxPerKey = maxPerKey;
  }

  public static PushTokens open(Database db, Clock clock, int maxPerKey) {
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS push_tokens (token TEXT PRIMARY KEY, key_id TEXT NOT NULL, "
            + "platform TEXT NOT NULL, created INTEGER NOT NULL, last_seen INTEGER NOT NULL)");
        s.execute("CREATE INDEX IF NOT EXISTS push_tokens_key ON push_tokens (key_id, last_seen)");
      }
      return null;
    }).join();
    return new PushTokens(db, clock, maxPerKey);
  }

  public static boolean validToken(String token) {
    return token != null && TOKEN.matcher(token).matches();
  }

  public static boolean validPlatform(String platform) {
    return platform != null && PLATFORM.matcher(platform).matches();
  }

  /** Registers (or re-registers) {@code token} for {@code keyId}; a token moves to its newest owner. */
  public CompletableFuture<Registration> register(String keyId, String token, String platform) {
    if (!validToken(token) || !validPlatform(platform)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("token or platform malformed"));
    }
    return db.write(c -> {
      long now = clock.millis();
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO push_tokens (token, key_id, platform, created, last_seen) VALUES (?, ?, ?, ?, ?) "
              + "ON CONFLICT(token) DO UPDATE SET key_id = excluded.key_id, platform = excluded.platform, "
              + "last_seen = excluded.last_seen, "
              + "created = CASE WHEN push_tokens.key_id = excluded.key_id THEN push_tokens.created ELSE excluded.created END")) {
        p.setString(1, token);
        p.setString(2, keyId);
        p.setString(3, platform);
        p.setLong(4, now);
        p.setLong(5, now);
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("DELETE FROM push_tokens WHERE key_id = ? AND token NOT IN "
          + "(SELECT token FROM push_tokens WHERE key_id = ? ORDER BY last_seen DESC, token LIMIT ?)")) {
        p.setString(1, keyId);
        p.setString(2, keyId);
        p.setInt(3, maxPerKey);
        p.executeUpdate();
      }
      long created = now;
      try (PreparedStatement p = c.prepareStatement("SELECT created FROM push_tokens WHERE token = ?")) {
        p.setString(1, token);
        try (ResultSet rs = p.executeQuery()) {
          if (rs.next()) {
            created = rs.getLong(1);
          }
        }
      }
      return new Registration(token, keyId, platform, created, now);
    });
  }

  /** Removes {@code token} if {@code keyId} owns it; true when it did. */
  public CompletableFuture<Boolean> unregister(String keyId, String token) {
    return db.write(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM push_tokens WHERE token = ? AND key_id = ?")) {
        p.setString(1, token);
        p.setString(2, keyId);
        return p.executeUpdate() > 0;
      }
    });
  }

  /** Removes {@code token} whoever owns it (FCM said it is gone). */
  public CompletableFuture<Boolean> drop(String token) {
    return db.write(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM push_tokens WHERE token = ?")) {
        p.setString(1, token);
        return p.executeUpdate() > 0;
      }
    });
  }

  /** Removes every token unseen for longer than {@code staleAfter}; returns how many. */
  public CompletableFuture<Integer> pruneStale(Duration staleAfter) {
    long cutoff = clock.millis() - staleAfter.toMillis();
    return db.write(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM push_tokens WHERE last_seen < ?")) {
        p.setLong(1, cutoff);
        return p.executeUpdate();
      }
    });
  }

  public List<Registration> of(String keyId) {
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT token, key_id, platform, created, last_seen "
          + "FROM push_tokens WHERE key_id = ? ORDER BY last_seen DESC")) {
        p.setString(1, keyId);
        List<Registration> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(new Registration(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
          }
        }
        return out;
      }
    });
  }
}

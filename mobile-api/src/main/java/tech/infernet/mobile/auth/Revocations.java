package tech.infernet.mobile.auth;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import tech.infernet.mobile.store.Database;

/**
 * Revoked session and token ids, each kept until the latest expiry of a token it could match
 * (after that the token is refused as expired anyway). Held in memory for the per-request check
 * and persisted in SQLite, so a restart forgets no logout.
 */
public final class Revocations {
  private final Database db;
  private final Clock clock;
  private final Map<String, Long> revoked = new ConcurrentHashMap<>();

  private Revocations(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Creates the table if needed and loads the unexpired entries. */
  public static Revocations open(Database db, Clock clock) {
    Revocations r = new Revocations(db, clock);
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS revoked (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)");
      }
      return null;
    }).join();
    long now = clock.millis();
    db.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT id, expires_at FROM revoked WHERE expires_at > ?")) {
        p.setLong(1, now);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            r.revoked.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return null;
    });
    return r;
  }

  public boolean isRevoked(String id) {
    Long exp = revoked.get(id);
    return exp != null && exp > clock.millis();
  }

  /** Revokes {@code id} until {@code expiresAtMs}; effective at once, durable when the future completes. */
  public CompletableFuture<Void> revoke(String id, long expiresAtMs) {
    revoked.merge(id, expiresAtMs, Math::max);
    return db.write(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO revoked (id, expires_at) VALUES (?, ?) "
              + "ON CONFLICT(id) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)")) {
        p.setString(1, id);
        p.setLong(2, expiresAtMs);
        p.executeUpdate();
      }
      return null;
    });
  }

  /** Forgets expired entries, in memory and on disk. */
  public CompletableFuture<Integer> purge() {
    long now = clock.millis();
    revoked.values().removeIf(exp -> exp <= now);
    return db.write(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM revoked WHERE expires_at <= ?")) {
        p.setLong(1, now);
        return p.executeUpdate();
      }
    });
  }

  public int size() {
    return revoked.size();
  }
}

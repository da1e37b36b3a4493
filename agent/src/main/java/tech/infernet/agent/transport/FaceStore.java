package tech.infernet.agent.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tech.infernet.protocol.ReplayCache;
import tech.infernet.protocol.message.Role;

/**
 * What the NKN face keeps across restarts, in its own SQLite file beside the job store: the last
 * NKN address each key spoke from (where its job events go), one-time pairing codes, and the
 * envelope replay cache. One connection, used only by one "face-store" thread: the single
 * ordered writer of this file.
 */
final class FaceStore implements AutoCloseable {
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "face-store");
    t.setDaemon(true);
    return t;
  });
  private final Connection db;
  /**
   * Last known address per key, read through: the table stays the truth across restarts, and the
   * hot paths (every request, every delivery round) skip a hop to the store thread.
   */
  private final Map<String, String> peers = new ConcurrentHashMap<>();
  /** When expired replay records were last removed: once a second is enough to keep the table bounded. */
  private long purgedAt;

  /** The outcome of presenting a pairing secret. */
  enum Redeemed { PAIRED, UNKNOWN, EXPIRED, USED }

  /** A redeemed pairing: its outcome and, when PAIRED, the role to grant. */
  record Redemption(Redeemed outcome, Role role) {}

  FaceStore(Path file) {
    try {
      db = call(() -> {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=FULL");
          s.execute("PRAGMA busy_timeout=5000");
          s.execute("CREATE TABLE IF NOT EXISTS peers (public_key TEXT PRIMARY KEY, address TEXT NOT NULL,"
              + " updated_at INTEGER NOT NULL)");
          s.execute("CREATE TABLE IF NOT EXISTS pairings (secret_sha256 TEXT PRIMARY KEY, role TEXT NOT NULL,"
              + " expires_at INTEGER NOT NULL, used_at INTEGER, used_by TEXT)");
          s.execute("CREATE TABLE IF NOT EXISTS replays (sender TEXT NOT NULL, nonce TEXT NOT NULL,"
              + " expires_at INTEGER NOT NULL, PRIMARY KEY (sender, nonce))");
          s.execute("CREATE INDEX IF NOT EXISTS replays_expiry ON replays(expires_at)");
        }
        return c;
      });
    } catch (IOException e) {
      throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  /** Remembers that this key last spoke from this NKN address. */
  void rememberPeer(String publicKey, String address) throws IOException {
    if (address.equals(peers.get(publicKey))) {
      return;
    }
    call(() -> {
      try (PreparedStatement p = db.prepareStatement("INSERT INTO peers VALUES (?, ?, ?) ON CONFLICT(public_key)"
          + " DO UPDATE SET address = excluded.address, updated_at = excluded.updated_at WHERE address <> excluded.address")) {
        p.setString(1, publicKey);
        p.setString(2, address);
        p.setLong(3, System.currentTimeMillis());
        p.executeUpdate();
      }
      peers.put(publicKey, address); // on the store thread, in the order of the writes
      return null;
    });
  }

  Optional<String> peerAddress(String publicKey) throws IOException {
    String known = peers.get(publicKey);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<String> stored = call(() -> {
      try (PreparedStatement p = db.prepareStatement("SELECT address FROM peers WHERE public_key = ?")) {
        p.setString(1, publicKey);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
    stored.ifPresent(address -> peers.putIfAbsent(publicKey, address));
    return stored;
  }

  /** Stores a pairing code; only its SHA-256 is kept. */
  void addPairing(String secret, Role role, long expiresAtMs) throws IOException {
    call(() -> {
      try (PreparedStatement p = db.prepareStatement("INSERT INTO pairings (secret_sha256, role, expires_at) VALUES (?, ?, ?)")) {
        p.setString(1, sha256(secret));
        p.setString(2, role.wireName());
        p.setLong(3, expiresAtMs);
        p.executeUpdate();
      }
      return null;
    });
  }

  /** Uses a pairing code up, once, if it is known and unexpired. */
  Redemption redeem(String secret, String publicKey, long nowMs) throws IOException {
    return call(() -> {
      String hash = sha256(secret);
      try (PreparedStatement p = db.prepareStatement("SELECT role, expires_at, used_at FROM pairings WHERE secret_sha256 = ?")) {
        p.setString(1, hash);
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            return new Redemption(Redeemed.UNKNOWN, null);
          }
          if (rs.getObject(3) != null) {
            return new Redemption(Redeemed.USED, null);
          }
          if (rs.getLong(2) < nowMs) {
            return new Redemption(Redeemed.EXPIRED, null);
          }
          Role role = Role.fromWire(rs.getString(1)).orElseThrow();
          try (PreparedStatement u = db.prepareStatement("UPDATE pairings SET used_at = ?, used_by = ? WHERE secret_sha256 = ? AND used_at IS NULL")) {
            u.setLong(1, nowMs);
            u.setString(2, publicKey);
            u.setString(3, hash);
            return u.executeUpdate() == 1 ? new Redemption(Redeemed.PAIRED, role) : new Redemption(Redeemed.USED, null);
          }
        }
      }
    });
  }

  /** The replay cache of envelopes, durable before it answers FRESH. */
  ReplayCache replayCache(int capacity) throws IOException {
    int[] size = {call(this::count)}; // kept by the face-store thread alone
    return new ReplayCache() {
      @Override
      public Result checkAndRecord(byte[] sender, byte[] nonce, long expiresAtMs, long nowMs) throws IOException {
        return call(() -> {
          if (nowMs - purgedAt >= 1000 || size[0] >= capacity) {
            try (PreparedStatement purge = db.prepareStatement("DELETE FROM replays WHERE expires_at < ?")) {
              purge.setLong(1, nowMs);
              size[0] -= purge.executeUpdate();
            }
            purgedAt = nowMs;
          }
          if (size[0] >= capacity) {
            return Result.FULL;
          }
          try (PreparedStatement insert = db.prepareStatement("INSERT OR IGNORE INTO replays VALUES (?, ?, ?)")) {
            insert.setString(1, HexFormat.of().formatHex(sender));
            insert.setString(2, HexFormat.of().formatHex(nonce));
            insert.setLong(3, expiresAtMs);
            if (insert.executeUpdate() == 0) {
              return Result.REPLAYED;
            }
          }
          size[0]++;
          return Result.FRESH;
        });
      }

      @Override
      public int size() {
        try {
          return call(FaceStore.this::count);
        } catch (IOException e) {
          return -1;
        }
      }

      @Override
      public void close() {
        // the store closes the connection
      }
    };
  }

  private int count() throws SQLException {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM replays")) {
      return rs.getInt(1);
    }
  }

  private <T> T call(Callable<T> work) throws IOException {
    try {
      return thread.submit(work).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException("face store: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      call(() -> {
        db.close();
        return null;
      });
    } catch (IOException e) {
      // closing anyway
    }
    thread.shutdown();
  }
}

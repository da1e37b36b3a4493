package tech.infernet.agent.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tech.infernet.protocol.message.Role;

/**
 * What the NKN face keeps across restarts, in its own SQLite file beside the job store: the last
 * NKN address each key spoke from (where its job events go) and one-time pairing codes (the
 * envelope replay records live in the job store: {@code EnvelopeReplays}). One connection, used
 * only by one "face-store" thread: the single ordered writer of this file.
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
          s.execute("DROP TABLE IF EXISTS replays"); // moved to the job store (EnvelopeReplays)
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

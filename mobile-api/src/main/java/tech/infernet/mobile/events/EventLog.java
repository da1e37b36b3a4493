package tech.infernet.mobile.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.mobile.store.Database;

/**
 * Each phone's job events for a bounded time, in SQLite: appended by the database's single
 * writer (so event ids increase in commit order), replayed by id, pruned by age. Listeners hear
 * each event after its commit, in id order, on the writer thread: they must hand work off, not
 * block.
 */
public final class EventLog {
  private static final Logger LOG = Logger.getLogger(EventLog.class.getName());
  /** Same shape as the protocol's job ids. */
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  /** Same shape as the protocol's job states. */
  private static final Pattern STATUS = Pattern.compile("[a-z][a-z_]{0,31}");
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled", "timed_out", "rejected");
  public static final int MAX_PAGE = 500;

  private final Database db;
  private final Clock clock;
  private final Duration retention;
  private final int maxEnvelopeBytes;
  private final List<Consumer<StoredEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<StoredEvent>> statusListeners = new CopyOnWriteArrayList<>();

  private EventLog(Database db, Clock clock, Duration retention, int maxEnvelopeBytes) {
    this.db = db;
    this.clock = clock;
    this.retention = retention;
    this.maxEnvelopeBytes = maxEnvelopeBytes;
  }

  public static EventLog open(Database db, Clock clock, Duration retention, int maxEnvelopeBytes) {
    EventLog log = new EventLog(db, clock, retention, maxEnvelopeBytes);
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            + "key_id TEXT NOT NULL, job_id TEXT NOT NULL, status TEXT NOT NULL, ts INTEGER NOT NULL, "
            + "envelope BLOB NOT NULL)");
        s.execute("CREATE INDEX IF NOT EXISTS events_key ON events (key_id, id)");
        s.execute("CREATE INDEX IF NOT EXISTS events_job ON events (key_id, job_id, id)");
        s.execute("CREATE INDEX IF NOT EXISTS events_ts ON events (ts)");
        s.execute("CREATE TABLE IF NOT EXISTS jobs (key_id TEXT NOT NULL, job_id TEXT NOT NULL, "
            + "status TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL, "
            + "last_event INTEGER NOT NULL, PRIMARY KEY (key_id, job_id))");
        s.execute("CREATE INDEX IF NOT EXISTS jobs_updated ON jobs (key_id, updated)");
        if (!hasColumn(c, "events", "origin")) {
          // where an event came from (agent, job, seq): a re-sent event is stored once
          s.execute("ALTER TABLE events ADD COLUMN origin TEXT");
        }
        s.execute("CREATE UNIQUE INDEX IF NOT EXISTS events_origin ON events (origin) WHERE origin IS NOT NULL");
      }
      return null;
    }).join();
    return log;
  }

  private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        if (column.equals(rs.getString("name"))) {
          return true;
        }
      }
      return false;
    }
  }

  public static boolean isTerminal(String status) {
    return TERMINAL.contains(status);
  }

  public static boolean validJobId(String jobId) {
    return jobId != null && JOB_ID.matcher(jobId).matches();
  }

  public static boolean validStatus(String status) {
    return status != null && STATUS.matcher(status).matches();
  }

  /** Hears every committed event; returns the unsubscribe action. */
  public Runnable subscribe(Consumer<StoredEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Hears the committed events that changed their job's status (a job's first event included):
   * what push notifies, so a job's log lines do not each wake the phone.
   */
  public Runnable subscribeStatusChanges(Consumer<StoredEvent> listener) {
    statusListeners.add(listener);
    return () -> statusListeners.remove(listener);
  }

  /**
   * Appends one event for the phone {@code keyId}. Invalid arguments fail the future with
   * {@link IllegalArgumentException} before anything is written.
   */
  public CompletableFuture<StoredEvent> append(String keyId, String jobId, String status, byte[] envelope) {
    return append(keyId, jobId, status, envelope, null);
  }

  /**
   * Appends one event unless an event with the same {@code origin} (e.g. agent, job and
   * sequence of a re-sent event; null for none) is already stored: then the stored one is
   * returned and nobody is notified again.
   */
  public CompletableFuture<StoredEvent> append(String keyId, String jobId, String status, byte[] envelope,
      String origin) {
    if (!KeyIds.looksLike(keyId)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("keyId: not a key id"));
    }
    if (!validJobId(jobId)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("jobId: 1-64 of A-Z a-z 0-9 . _ : -"));
    }
    if (!validStatus(status)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("status: a lower-case state name"));
    }
    if (envelope == null || envelope.length == 0 || envelope.length > maxEnvelopeBytes) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "envelope: 1-" + maxEnvelopeBytes + " bytes"));
    }
    if (origin != null && (origin.isEmpty() || origin.length() > 256)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("origin: 1-256 characters"));
    }
    byte[] env = envelope.clone();
    return db.write(c -> insert(c, keyId, jobId, status, env, origin), this::notifyListeners)
        .thenApply(Appended::event);
  }

  /** What one append did: the event, whether it is new, and whether it changed its job's status. */
  private record Appended(StoredEvent event, boolean fresh, boolean statusChanged) {}

  private Appended insert(Connection c, String keyId, String jobId, String status, byte[] env, String origin)
      throws SQLException {
    if (origin != null) {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id, key_id, job_id, status, ts, envelope FROM events WHERE origin = ?")) {
        p.setString(1, origin);
        try (ResultSet rs = p.executeQuery()) {
          if (rs.next()) {
            return new Appended(row(rs), false, false);
          }
        }
      }
    }
    long ts = clock.millis();
    long id;
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO events (key_id, job_id, status, ts, envelope, origin) VALUES (?, ?, ?, ?, ?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      p.setString(1, keyId);
      p.setString(2, jobId);
      p.setString(3, status);
      p.setLong(4, ts);
      p.setBytes(5, env);
      p.setString(6, origin);
      p.executeUpdate();
      try (ResultSet rs = p.getGeneratedKeys()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    String before = null;
    try (PreparedStatement p = c.prepareStatement("SELECT status FROM jobs WHERE key_id = ? AND job_id = ?")) {
      p.setString(1, keyId);
      p.setString(2, jobId);
      try (ResultSet rs = p.executeQuery()) {
        before = rs.next() ? rs.getString(1) : null;
      }
    }
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO jobs (key_id, job_id, status, created, updated, last_event) VALUES (?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT(key_id, job_id) DO UPDATE SET status = excluded.status, "
            + "updated = excluded.updated, last_event = excluded.last_event")) {
      p.setString(1, keyId);
      p.setString(2, jobId);
      p.setString(3, status);
      p.setLong(4, ts);
      p.setLong(5, ts);
      p.setLong(6, id);
      p.executeUpdate();
    }
    return new Appended(new StoredEvent(id, keyId, jobId, status, ts, env), true, !status.equals(before));
  }

  private void notifyListeners(Appended a) {
    if (!a.fresh()) {
      return;
    }
    // Status listeners first: push starts waiting for the phone's acknowledgement before a live
    // channel can show the event, so an acknowledgement that comes at once always finds it.
    if (a.statusChanged()) {
      notify(statusListeners, a.event());
    }
    notify(listeners, a.event());
  }

  private static void notify(List<Consumer<StoredEvent>> to, StoredEvent e) {
    for (Consumer<StoredEvent> l : to) {
      try {
        l.accept(e);
      } catch (RuntimeException x) {
        LOG.log(Level.WARNING, "event listener failed", x);
      }
    }
  }

  /** The phone's events with id above {@code afterId}, oldest first, at most {@code limit}. */
  public List<StoredEvent> after(String keyId, long afterId, int limit) {
    return db.read(c -> query(c, "SELECT id, key_id, job_id, status, ts, envelope FROM events "
        + "WHERE key_id = ? AND id > ? ORDER BY id LIMIT ?", keyId, null, afterId, limit));
  }

  /** One job's events with id above {@code afterId}, oldest first. */
  public List<StoredEvent> after(String keyId, String jobId, long afterId, int limit) {
    return db.read(c -> query(c, "SELECT id, key_id, job_id, status, ts, envelope FROM events "
        + "WHERE key_id = ? AND job_id = ? AND id > ? ORDER BY id LIMIT ?", keyId, jobId, afterId, limit));
  }

  /** The latest event of each of the phone's most recently updated jobs (MQTT retained messages). */
  public List<StoredEvent> latestPerJob(String keyId, int limit) {
    return db.read(c -> query(c, "SELECT e.id, e.key_id, e.job_id, e.status, e.ts, e.envelope FROM jobs j "
        + "JOIN events e ON e.id = j.last_event WHERE j.key_id = ? AND ? >= 0 "
        + "ORDER BY j.updated DESC LIMIT ?", keyId, null, 0, limit));
  }

  /** The phone's jobs, most recently updated first, updated before {@code beforeMs}. */
  public List<JobSummary> jobs(String keyId, long beforeMs, int limit) {
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT job_id, status, created, updated, last_event "
          + "FROM jobs WHERE key_id = ? AND updated < ? ORDER BY updated DESC, job_id LIMIT ?")) {
        p.setString(1, keyId);
        p.setLong(2, beforeMs);
        p.setInt(3, Math.max(1, Math.min(limit, MAX_PAGE)));
        List<JobSummary> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(new JobSummary(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
          }
        }
        return out;
      }
    });
  }

  public Optional<JobSummary> job(String keyId, String jobId) {
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT job_id, status, created, updated, last_event "
          + "FROM jobs WHERE key_id = ? AND job_id = ?")) {
        p.setString(1, keyId);
        p.setString(2, jobId);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next()
              ? Optional.of(new JobSummary(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
              : Optional.empty();
        }
      }
    });
  }

  /** The highest event id ever assigned (0 when none). */
  public long lastEventId() {
    return db.read(c -> {
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM events")) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  /** Deletes events older than the retention, and jobs with no event left. Returns events deleted. */
  public CompletableFuture<Integer> prune() {
    long cutoff = clock.millis() - retention.toMillis();
    return db.write(c -> {
      int n;
      try (PreparedStatement p = c.prepareStatement("DELETE FROM events WHERE ts < ?")) {
        p.setLong(1, cutoff);
        n = p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("DELETE FROM jobs WHERE updated < ?")) {
        p.setLong(1, cutoff);
        p.executeUpdate();
      }
      return n;
    });
  }

  public Duration retention() {
    return retention;
  }

  private static List<StoredEvent> query(Connection c, String sql, String keyId, String jobId, long afterId,
      int limit) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      int i = 1;
      p.setString(i++, keyId);
      if (jobId != null) {
        p.setString(i++, jobId);
      }
      p.setLong(i++, afterId);
      p.setInt(i, Math.max(1, Math.min(limit, MAX_PAGE)));
      List<StoredEvent> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      return out;
    }
  }

  private static StoredEvent row(ResultSet rs) throws SQLException {
    return new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
        rs.getBytes(6));
  }
}

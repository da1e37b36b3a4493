package tech.infernet.agent.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Versioned schema migrations; version N is the N-th entry. Never edit a shipped entry: append. */
final class Migrations {
  static final List<String[]> STEPS = List.<String[]>of(
      new String[] {
          "CREATE TABLE jobs (id TEXT PRIMARY KEY, owner TEXT NOT NULL, spec TEXT NOT NULL,"
              + " state TEXT NOT NULL, reason TEXT, exit_code INTEGER, priority INTEGER NOT NULL,"
              + " gpu INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
              + " attempts INTEGER NOT NULL DEFAULT 0, last_seq INTEGER NOT NULL DEFAULT 0)",
          "CREATE INDEX jobs_state ON jobs(state)",
          "CREATE TABLE job_events (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL"
              + " REFERENCES jobs(id), seq INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,"
              + " time INTEGER NOT NULL, UNIQUE (job_id, seq))",
          "CREATE TRIGGER job_events_no_update BEFORE UPDATE ON job_events"
              + " BEGIN SELECT RAISE(ABORT, 'job_events is append-only'); END",
          "CREATE TRIGGER job_events_no_delete BEFORE DELETE ON job_events"
              + " BEGIN SELECT RAISE(ABORT, 'job_events is append-only'); END",
          "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, recipient TEXT NOT NULL,"
              + " event_id INTEGER NOT NULL REFERENCES job_events(id), created_at INTEGER NOT NULL,"
              + " attempts INTEGER NOT NULL DEFAULT 0, delivered_at INTEGER)",
          "CREATE INDEX outbox_pending ON outbox(delivered_at, id)",
          "CREATE TABLE acl (public_key TEXT PRIMARY KEY, role TEXT NOT NULL, added_at INTEGER NOT NULL)",
          "CREATE TABLE results (job_id TEXT PRIMARY KEY REFERENCES jobs(id), inline BLOB, path TEXT,"
              + " sha256 TEXT NOT NULL, size INTEGER NOT NULL, created_at INTEGER NOT NULL)"
      },
      new String[] {
          // envelope nonces seen (EnvelopeReplays): here, so that they commit in order with the jobs they create
          "CREATE TABLE envelope_replays (sender TEXT NOT NULL, nonce TEXT NOT NULL, expires_at INTEGER NOT NULL,"
              + " PRIMARY KEY (sender, nonce)) WITHOUT ROWID",
          "CREATE INDEX envelope_replays_expiry ON envelope_replays(expires_at)"
      });

  private Migrations() {}

  /** Applies the missing steps, each in its own transaction; returns the resulting version. */
  static int apply(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
          + " applied_at INTEGER NOT NULL)");
    }
    int current;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
      current = rs.getInt(1);
    }
    if (current > STEPS.size()) {
      throw new StoreException("database schema version " + current
          + " is newer than this agent knows (" + STEPS.size() + "); refusing to open");
    }
    for (int v = current + 1; v <= STEPS.size(); v++) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String sql : STEPS.get(v - 1)) {
          s.execute(sql);
        }
        s.execute("INSERT INTO schema_version VALUES (" + v + ", " + System.currentTimeMillis() + ")");
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
    return STEPS.size();
  }
}

package tech.infernet.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.infernet.agent.jobs.IllegalTransitionException;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.Json;

/**
 * The write side; used only from the store's writer thread, so it needs no locking. The writer
 * opens one transaction per batch ({@link #begin}, {@link #commit}) and wraps each unit of work in
 * a savepoint, so a failing unit rolls back alone (its sequence numbers included) and the others
 * commit. Statements are prepared once and reused; each write reads back only what a RETURNING
 * clause gives, never with a second query.
 */
final class Writes implements AutoCloseable {
  interface Work<T> {
    T run() throws Exception;
  }

  private static final String UPDATE_STATE = "UPDATE jobs SET state = ?, reason = ?,"
      + " exit_code = coalesce(?, exit_code), updated_at = ?, attempts = attempts + ?,"
      + " last_seq = last_seq + 1 WHERE id = ? AND state = ? RETURNING " + Rows.JOB_COLUMNS
      + ", last_seq";
  private static final String NEXT_SEQ =
      "UPDATE jobs SET last_seq = last_seq + 1 WHERE id = ? RETURNING owner, last_seq";
  private static final String INSERT_JOB = "INSERT INTO jobs (id, owner, spec, state, reason,"
      + " exit_code, priority, gpu, created_at, updated_at, attempts, last_seq)"
      + " VALUES (?,?,?,?,?,NULL,?,?,?,?,0,1)";
  private static final String INSERT_EVENT = "INSERT INTO job_events (job_id, seq, type, payload,"
      + " time) VALUES (?,?,?,?,?) RETURNING id";
  private static final String INSERT_OUTBOX =
      "INSERT INTO outbox (recipient, event_id, created_at) VALUES (?,?,?)";

  private final Connection c;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  /** Events written in the open transaction, in order; handed out after the commit. */
  private final List<JobEvent> pending = new ArrayList<>();

  /** Takes over {@code c}: from now on it always has a JDBC transaction open (autocommit off). */
  Writes(Connection c) throws SQLException {
    this.c = c;
    c.setAutoCommit(false);
  }

  private PreparedStatement ps(String sql) throws SQLException {
    PreparedStatement p = statements.get(sql);
    if (p == null) {
      p = c.prepareStatement(sql);
      statements.put(sql, p);
    }
    return p;
  }

  private void exec(String sql) throws SQLException {
    ps(sql).execute();
  }

  // ---- transaction control (writer loop) ----

  /** Commits the batch; the driver opens the next transaction at once. */
  void commit() throws SQLException {
    c.commit();
  }

  /** Rolls the open transaction back and forgets its events. */
  void rollbackQuietly() {
    pending.clear();
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the next batch reports it
    }
  }

  /** Starts one unit of work inside the batch; returns the mark to roll back to. */
  int savepoint() throws SQLException {
    exec("SAVEPOINT unit");
    return pending.size();
  }

  void release() throws SQLException {
    exec("RELEASE unit");
  }

  /** Undoes one unit of work (rows and events) and leaves the rest of the batch intact. */
  void rollbackTo(int mark) throws SQLException {
    exec("ROLLBACK TO unit");
    exec("RELEASE unit");
    pending.subList(mark, pending.size()).clear();
  }

  /** Events of the just-committed transaction, in commit order. */
  List<JobEvent> takeCommitted() {
    List<JobEvent> out = new ArrayList<>(pending);
    pending.clear();
    return out;
  }

  /** SQLite refuses to change the safety level inside a transaction: step out of it briefly. */
  void setSynchronous(String mode) throws SQLException {
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA synchronous=" + mode);
    } finally {
      c.setAutoCommit(false);
    }
  }

  // ---- units of work ----

  Job insert(Job job, String spec, String payload) throws SQLException {
    PreparedStatement p = ps(INSERT_JOB);
    p.setString(1, job.id().value());
    p.setString(2, job.owner());
    p.setString(3, spec);
    p.setString(4, job.state().name());
    p.setString(5, job.reason());
    p.setInt(6, job.spec().priority());
    p.setInt(7, job.spec().gpu() ? 1 : 0);
    p.setLong(8, job.createdAt());
    p.setLong(9, job.updatedAt());
    p.executeUpdate();
    Rows.remember(spec, job.spec());
    appendRow(job.id(), job.owner(), 1, "state", payload, job.createdAt());
    return job;
  }

  /**
   * Compare-and-set of the job's state with its event; with {@code result} the result row is
   * written in the same unit, so a result exists exactly when its job's terminal state says so.
   */
  Job transition(JobId id, JobState from, JobState to, String reason, Integer exitCode,
      String payload, StoredResult result) throws SQLException {
    long now = System.currentTimeMillis();
    PreparedStatement p = ps(UPDATE_STATE);
    p.setString(1, to.name());
    p.setString(2, reason);
    if (exitCode == null) {
      p.setNull(3, java.sql.Types.INTEGER);
    } else {
      p.setInt(3, exitCode);
    }
    p.setLong(4, now);
    p.setInt(5, to == JobState.RUNNING ? 1 : 0);
    p.setString(6, id.value());
    p.setString(7, from.name());
    Job job;
    long seq;
    try (ResultSet rs = p.executeQuery()) {
      if (!rs.next()) {
        rs.close();
        throw refusal(id, to);
      }
      job = Rows.job(rs);
      seq = rs.getLong(10);
    }
    if (result != null) {
      putResult(result);
    }
    appendRow(id, job.owner(), seq, "state", payload, now);
    return job;
  }

  /** The payload of a state event (built by callers, off the writer thread). */
  static String statePayload(JobState from, JobState to, String reason, Integer exitCode,
      Map<String, Object> extra) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("state", to.name());
    payload.put("from", from.name());
    if (reason != null) {
      payload.put("reason", reason);
    }
    if (exitCode != null) {
      payload.put("exitCode", exitCode);
    }
    payload.putAll(extra);
    return Json.write(payload);
  }

  /** Why a compare-and-set matched no row: the job is missing or in another state. */
  private RuntimeException refusal(JobId id, JobState to) throws SQLException {
    PreparedStatement q = ps("SELECT state FROM jobs WHERE id = ?");
    q.setString(1, id.value());
    try (ResultSet rs = q.executeQuery()) {
      if (!rs.next()) {
        return new IllegalArgumentException("no such job " + id);
      }
      return new IllegalTransitionException(JobState.valueOf(rs.getString(1)), to);
    }
  }

  JobEvent append(JobId id, String type, String payload) throws SQLException {
    PreparedStatement p = ps(NEXT_SEQ);
    p.setString(1, id.value());
    String owner;
    long seq;
    try (ResultSet rs = p.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalArgumentException("no such job " + id);
      }
      owner = rs.getString(1);
      seq = rs.getLong(2);
    }
    return appendRow(id, owner, seq, type, payload, System.currentTimeMillis());
  }

  /** Inserts the event with its (already reserved) sequence number and its outbox row. */
  private JobEvent appendRow(JobId id, String owner, long seq, String type, String payload,
      long time) throws SQLException {
    PreparedStatement p = ps(INSERT_EVENT);
    p.setString(1, id.value());
    p.setLong(2, seq);
    p.setString(3, type);
    p.setString(4, payload);
    p.setLong(5, time);
    long eventId;
    try (ResultSet rs = p.executeQuery()) {
      rs.next();
      eventId = rs.getLong(1);
    }
    PreparedStatement o = ps(INSERT_OUTBOX);
    o.setString(1, owner);
    o.setLong(2, eventId);
    o.setLong(3, time);
    o.executeUpdate();
    JobEvent e = new JobEvent(eventId, id, seq, type, payload, time);
    pending.add(e);
    return e;
  }

  void putResult(StoredResult r) throws SQLException {
    PreparedStatement p = ps("INSERT OR REPLACE INTO results (job_id, inline, path, sha256, size,"
        + " created_at) VALUES (?,?,?,?,?,?)");
    p.setString(1, r.jobId());
    p.setBytes(2, r.inline());
    p.setString(3, r.path());
    p.setString(4, r.sha256());
    p.setLong(5, r.size());
    p.setLong(6, System.currentTimeMillis());
    p.executeUpdate();
  }

  Void aclPut(String key, String role) throws SQLException {
    PreparedStatement p = ps("INSERT INTO acl (public_key, role, added_at) VALUES (?,?,?)"
        + " ON CONFLICT(public_key) DO UPDATE SET role = excluded.role");
    p.setString(1, key);
    p.setString(2, role);
    p.setLong(3, System.currentTimeMillis());
    p.executeUpdate();
    return null;
  }

  Boolean aclRemove(String key) throws SQLException {
    PreparedStatement p = ps("DELETE FROM acl WHERE public_key = ?");
    p.setString(1, key);
    return p.executeUpdate() > 0;
  }

  void markDelivered(Collection<Long> ids) throws SQLException {
    stampEach("UPDATE outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL", ids);
  }

  void recordReplay(String sender, String nonce, long expiresAtMs) throws SQLException {
    PreparedStatement p = ps("INSERT OR IGNORE INTO envelope_replays VALUES (?, ?, ?)");
    p.setString(1, sender);
    p.setString(2, nonce);
    p.setLong(3, expiresAtMs);
    p.executeUpdate();
  }

  void purgeReplays(long nowMs) throws SQLException {
    PreparedStatement p = ps("DELETE FROM envelope_replays WHERE expires_at < ?");
    p.setLong(1, nowMs);
    p.executeUpdate();
  }

  void markEventsDelivered(Collection<Long> eventIds) throws SQLException {
    // outbox_pending (delivered_at, id) narrows this to the rows still pending
    stampEach("UPDATE outbox SET delivered_at = ? WHERE delivered_at IS NULL AND event_id = ?", eventIds);
  }

  /** Runs {@code sql} once per id, with the current time as its first parameter and the id as its second. */
  private void stampEach(String sql, Collection<Long> ids) throws SQLException {
    PreparedStatement p = ps(sql);
    long now = System.currentTimeMillis();
    for (long id : ids) {
      p.setLong(1, now);
      p.setLong(2, id);
      p.executeUpdate();
    }
  }

  @Override
  public void close() {
    for (PreparedStatement p : statements.values()) {
      try {
        p.close();
      } catch (SQLException ignored) {
        // closing
      }
    }
    statements.clear();
    try {
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // closing
    }
  }
}

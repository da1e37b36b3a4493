package tech.infernet.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.infernet.agent.jobs.IllegalTransitionException;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.Json;

/** The write side; used only from the store's writer thread, so it needs no locking. */
final class Writes {
  interface Work<T> {
    T run() throws Exception;
  }

  private final Connection c;
  private final List<JobEvent> committed = new ArrayList<>();
  private final List<JobEvent> pending = new ArrayList<>();

  Writes(Connection c) {
    this.c = c;
  }

  List<JobEvent> drainCommitted() {
    List<JobEvent> out = new ArrayList<>(committed);
    committed.clear();
    return out;
  }

  Job insert(Job job, String payload) throws SQLException {
    return tx(() -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO jobs (id, owner, spec, state,"
          + " reason, exit_code, priority, gpu, created_at, updated_at, attempts, last_seq)"
          + " VALUES (?,?,?,?,?,NULL,?,?,?,?,0,0)")) {
        p.setString(1, job.id().value());
        p.setString(2, job.owner());
        p.setString(3, Rows.specJson(job.spec()));
        p.setString(4, job.state().name());
        p.setString(5, job.reason());
        p.setInt(6, job.spec().priority());
        p.setInt(7, job.spec().gpu() ? 1 : 0);
        p.setLong(8, job.createdAt());
        p.setLong(9, job.updatedAt());
        p.executeUpdate();
      }
      appendRow(job.id(), job.owner(), "state", payload, job.createdAt());
      return job;
    });
  }

  Job transition(JobId id, JobState from, JobState to, String reason, Integer exitCode,
      Map<String, Object> extra) throws SQLException {
    return tx(() -> {
      String owner;
      try (PreparedStatement p = c.prepareStatement("SELECT state, owner FROM jobs WHERE id = ?")) {
        p.setString(1, id.value());
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalArgumentException("no such job " + id);
          }
          JobState current = JobState.valueOf(rs.getString(1));
          if (current != from) {
            throw new IllegalTransitionException(current, to);
          }
          owner = rs.getString(2);
        }
      }
      long now = System.currentTimeMillis();
      try (PreparedStatement p = c.prepareStatement("UPDATE jobs SET state = ?, reason = ?,"
          + " exit_code = coalesce(?, exit_code), updated_at = ?, attempts = attempts + ?"
          + " WHERE id = ?")) {
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
        p.executeUpdate();
      }
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
      appendRow(id, owner, "state", Json.write(payload), now);
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?")) {
        p.setString(1, id.value());
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return Rows.job(rs);
        }
      }
    });
  }

  JobEvent append(JobId id, String type, String payload) throws SQLException {
    return tx(() -> {
      String owner;
      try (PreparedStatement p = c.prepareStatement("SELECT owner FROM jobs WHERE id = ?")) {
        p.setString(1, id.value());
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalArgumentException("no such job " + id);
          }
          owner = rs.getString(1);
        }
      }
      return appendRow(id, owner, type, payload, System.currentTimeMillis());
    });
  }

  /** Appends the event with the job's next sequence number and its outbox row (inside a tx). */
  private JobEvent appendRow(JobId id, String owner, String type, String payload, long time)
      throws SQLException {
    long seq;
    try (PreparedStatement p = c.prepareStatement(
        "UPDATE jobs SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq")) {
      p.setString(1, id.value());
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
    }
    long eventId;
    try (PreparedStatement p = c.prepareStatement("INSERT INTO job_events (job_id, seq, type,"
        + " payload, time) VALUES (?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
      p.setString(1, id.value());
      p.setLong(2, seq);
      p.setString(3, type);
      p.setString(4, payload);
      p.setLong(5, time);
      p.executeUpdate();
      try (ResultSet rs = p.getGeneratedKeys()) {
        rs.next();
        eventId = rs.getLong(1);
      }
    }
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO outbox (recipient, event_id, created_at) VALUES (?,?,?)")) {
      p.setString(1, owner);
      p.setLong(2, eventId);
      p.setLong(3, time);
      p.executeUpdate();
    }
    JobEvent e = new JobEvent(eventId, id, seq, type, payload, time);
    pending.add(e);
    return e;
  }

  void putResult(StoredResult r) throws SQLException {
    tx(() -> {
      try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO results (job_id,"
          + " inline, path, sha256, size, created_at) VALUES (?,?,?,?,?,?)")) {
        p.setString(1, r.jobId());
        p.setBytes(2, r.inline());
        p.setString(3, r.path());
        p.setString(4, r.sha256());
        p.setLong(5, r.size());
        p.setLong(6, System.currentTimeMillis());
        p.executeUpdate();
      }
      return null;
    });
  }

  Void aclPut(String key, String role) throws SQLException {
    return tx(() -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO acl (public_key, role, added_at)"
          + " VALUES (?,?,?) ON CONFLICT(public_key) DO UPDATE SET role = excluded.role")) {
        p.setString(1, key);
        p.setString(2, role);
        p.setLong(3, System.currentTimeMillis());
        p.executeUpdate();
      }
      return null;
    });
  }

  Boolean aclRemove(String key) throws SQLException {
    return tx(() -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM acl WHERE public_key = ?")) {
        p.setString(1, key);
        return p.executeUpdate() > 0;
      }
    });
  }

  void markDelivered(Collection<Long> ids) throws SQLException {
    tx(() -> {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL")) {
        for (long id : ids) {
          p.setLong(1, System.currentTimeMillis());
          p.setLong(2, id);
          p.addBatch();
        }
        p.executeBatch();
      }
      return null;
    });
  }

  /** Runs {@code work} with synchronous=FULL, then back to NORMAL. */
  <T> T durable(Work<T> work) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA synchronous=FULL");
    }
    try {
      return work.run();
    } finally {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA synchronous=NORMAL");
      }
    }
  }

  private <T> T tx(Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T v = work.run();
      c.commit();
      committed.addAll(pending);
      return v;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } catch (Exception e) {
      c.rollback();
      throw new SQLException(e);
    } finally {
      pending.clear();
      c.setAutoCommit(true);
    }
  }
}

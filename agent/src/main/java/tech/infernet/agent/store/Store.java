package tech.infernet.agent.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.agent.jobs.IllegalTransitionException;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.Json;

/**
 * The agent's SQLite database: one file in WAL mode. Every write goes through one ordered writer
 * thread that owns the only write connection; reads use their own connections from a small pool.
 * A state change, its event and its outbox row commit in one transaction, and listeners hear about
 * events only after the commit.
 */
public final class Store implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Store.class.getName());
  private final Path file;
  /** Most units of work committed in one transaction. */
  static final int MAX_BATCH = 256;
  private static final Op<Void> STOP = new Op<>(() -> null, new CompletableFuture<>(), false);
  private final LinkedBlockingQueue<Op<?>> ops = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final Connection writeConn;
  private final BlockingQueue<Connection> readers;
  private final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Writes writes;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();

  private Store(Path file, Connection writeConn, BlockingQueue<Connection> readers)
      throws SQLException {
    this.file = file;
    this.writeConn = writeConn;
    this.readers = readers;
    this.writes = new Writes(writeConn);
    this.writer = new Thread(this::writerLoop, "infernet-store-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** Opens (creating if needed), runs {@code PRAGMA quick_check} and the migrations. */
  public static Store open(Path file, int readConnections) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Connection w = connect(file);
      try (Statement s = w.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA foreign_keys=ON");
        try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
          String r = rs.next() ? rs.getString(1) : "no answer";
          if (!"ok".equals(r)) {
            w.close();
            throw new StoreException("database " + file + " failed quick_check: " + r);
          }
        }
      }
      Migrations.apply(w);
      BlockingQueue<Connection> rs = new ArrayBlockingQueue<>(readConnections);
      for (int i = 0; i < readConnections; i++) {
        Connection r = connect(file);
        try (Statement s = r.createStatement()) {
          s.execute("PRAGMA query_only=ON");
        }
        rs.add(r);
      }
      return new Store(file, w, rs);
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect(Path file) throws SQLException {
    java.util.Properties props = new java.util.Properties();
    // Off: the driver would run an extra "SELECT last_insert_rowid()" after every INSERT; the
    // writes read ids back with RETURNING instead.
    props.setProperty("jdbc.get_generated_keys", "false");
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), props);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=5000");
    }
    return c;
  }

  /** Transactions committed by the writer so far (each holds one or more units of work). */
  public long commits() {
    return commits.get();
  }

  public Path file() {
    return file;
  }

  /** Called on the writer thread after each committed event; must not block. */
  public void onEvent(Consumer<JobEvent> listener) {
    listeners.add(listener);
  }

  // ---- writes (ordered) ----

  /** Inserts a new job (QUEUED or REJECTED) with its first state event and outbox row. */
  public CompletableFuture<Job> insert(Job job, Map<String, Object> payload) {
    String text = Json.write(payload);
    String spec = Rows.specJson(job.spec());
    return write(() -> writes.insert(job, spec, text), false);
  }

  /**
   * Moves a job from {@code from} to {@code to} if it is still in {@code from}; fails with
   * {@link IllegalTransitionException} otherwise (so of two racing terminal writes one wins).
   */
  public CompletableFuture<Job> transition(JobId id, JobState from, JobState to, String reason,
      Integer exitCode, Map<String, Object> payload) {
    return transition(id, from, to, reason, exitCode, payload, null);
  }

  /** Like the other transition, and stores {@code result} (may be null) in the same transaction. */
  public CompletableFuture<Job> transition(JobId id, JobState from, JobState to, String reason,
      Integer exitCode, Map<String, Object> payload, StoredResult result) {
    from.checkMoveTo(to);
    String text = Writes.statePayload(from, to, reason, exitCode, payload);
    return write(() -> writes.transition(id, from, to, reason, exitCode, text, result), false);
  }

  /** Appends a non-state event (log, pull progress, result, ...) with its outbox row. */
  public CompletableFuture<JobEvent> append(JobId id, String type, Map<String, Object> payload) {
    String text = Json.write(payload);
    return write(() -> writes.append(id, type, text), false);
  }

  public CompletableFuture<Void> putResult(StoredResult r) {
    return write(() -> {
      writes.putResult(r);
      return null;
    }, false);
  }

  /** ACL writes use synchronous=FULL: a granted or revoked key survives power loss. */
  public CompletableFuture<Void> aclPut(String publicKey, String role) {
    return write(() -> writes.aclPut(publicKey, role), true);
  }

  public CompletableFuture<Boolean> aclRemove(String publicKey) {
    return write(() -> writes.aclRemove(publicKey), true);
  }

  public CompletableFuture<Void> markDelivered(Collection<Long> outboxIds) {
    List<Long> ids = List.copyOf(outboxIds);
    return write(() -> {
      writes.markDelivered(ids);
      return null;
    }, false);
  }

  /**
   * Queues the record of an envelope's (sender, nonce) until {@code expiresAtMs}: it commits before,
   * or with, every write queued after it (see {@link EnvelopeReplays}).
   */
  CompletableFuture<Void> recordReplay(String sender, String nonce, long expiresAtMs) {
    return write(() -> {
      writes.recordReplay(sender, nonce, expiresAtMs);
      return null;
    }, false);
  }

  CompletableFuture<Void> purgeReplays(long nowMs) {
    return write(() -> {
      writes.purgeReplays(nowMs);
      return null;
    }, false);
  }

  /** Unexpired envelope replay records: sender, nonce, expiry. */
  List<String[]> replays(long nowMs) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT sender, nonce, expires_at FROM envelope_replays WHERE expires_at >= ?")) {
        p.setLong(1, nowMs);
        List<String[]> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(new String[] {rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3))});
          }
        }
        return out;
      }
    });
  }

  /** Marks the outbox rows of these events (ids of {@link JobEvent}s) delivered. */
  public CompletableFuture<Void> markEventsDelivered(Collection<Long> eventIds) {
    List<Long> ids = List.copyOf(eventIds);
    return write(() -> {
      writes.markEventsDelivered(ids);
      return null;
    }, false);
  }

  /** One queued unit of work and the future its caller waits on. */
  private record Op<T>(Writes.Work<T> work, CompletableFuture<T> future, boolean durable) {
    @SuppressWarnings("unchecked")
    void complete(Object v) {
      future.complete((T) v);
    }
  }

  private <T> CompletableFuture<T> write(Writes.Work<T> work, boolean durable) {
    CompletableFuture<T> f = new CompletableFuture<>();
    synchronized (ops) {
      if (closed) {
        f.completeExceptionally(new StoreException("store is closed"));
        return f;
      }
      ops.add(new Op<>(work, f, durable));
    }
    return f;
  }

  /**
   * The writer loop. It takes every unit of work queued so far (up to {@link #MAX_BATCH}) and runs
   * them in order in one transaction, each inside its own savepoint: a unit that fails is rolled
   * back alone and its caller gets the error. Only after the COMMIT are listeners told about the
   * batch's events and are the callers' futures completed, so no caller acts on a change that is
   * not yet stored. Durable (ACL) units run alone with synchronous=FULL.
   */
  private void writerLoop() {
    List<Op<?>> batch = new ArrayList<>(MAX_BATCH);
    Object[] results = new Object[MAX_BATCH];
    Throwable[] errors = new Throwable[MAX_BATCH];
    while (true) {
      Op<?> first;
      try {
        first = ops.take();
      } catch (InterruptedException e) {
        continue; // only close() stops the writer, by queueing STOP
      }
      if (first == STOP) {
        return;
      }
      batch.clear();
      batch.add(first);
      while (!first.durable() && batch.size() < MAX_BATCH) {
        Op<?> next = ops.peek();
        if (next == null || next == STOP || next.durable()) {
          break;
        }
        batch.add(ops.poll());
      }
      runBatch(batch, results, errors);
      batch.clear();
    }
  }

  private void runBatch(List<Op<?>> batch, Object[] results, Throwable[] errors) {
    boolean durable = batch.get(0).durable();
    List<JobEvent> events;
    try {
      if (durable) {
        writes.setSynchronous("FULL");
      }
      for (int i = 0; i < batch.size(); i++) {
        int mark = writes.savepoint();
        try {
          results[i] = batch.get(i).work().run();
          errors[i] = null;
          writes.release();
        } catch (Exception e) {
          writes.rollbackTo(mark);
          results[i] = null;
          errors[i] = e instanceof SQLException ? new StoreException("write failed: " + e.getMessage(), e) : e;
        }
      }
      writes.commit();
      commits.incrementAndGet();
      events = writes.takeCommitted();
    } catch (Throwable t) {
      writes.rollbackQuietly();
      StoreException fail = new StoreException("write batch failed: " + t.getMessage(), t);
      LOG.log(Level.WARNING, "write batch of " + batch.size() + " rolled back", t);
      for (Op<?> op : batch) {
        op.future().completeExceptionally(fail);
      }
      return;
    } finally {
      if (durable) {
        try {
          writes.setSynchronous("NORMAL");
        } catch (SQLException e) {
          LOG.log(Level.WARNING, "could not reset synchronous=NORMAL", e);
        }
      }
    }
    for (JobEvent e : events) {
      for (Consumer<JobEvent> l : listeners) {
        try {
          l.accept(e);
        } catch (RuntimeException ex) {
          LOG.log(Level.WARNING, "event listener failed", ex);
        }
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      Op<?> op = batch.get(i);
      if (errors[i] != null) {
        op.future().completeExceptionally(errors[i]);
      } else {
        op.complete(results[i]);
      }
      results[i] = null;
      errors[i] = null;
    }
  }

  // ---- reads ----

  public Optional<Job> job(JobId id) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?")) {
        p.setString(1, id.value());
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? Optional.of(Rows.job(rs)) : Optional.empty();
        }
      }
    });
  }

  /** Jobs in the given states (all when empty), newest first. */
  public List<Job> jobs(Collection<JobState> states, int limit) {
    return jobs(states, null, limit);
  }

  /** As {@link #jobs(Collection, int)}, only owner's jobs when owner is not null. */
  public List<Job> jobs(Collection<JobState> states, String owner, int limit) {
    return read(c -> {
      StringBuilder sql = new StringBuilder("SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE 1 = 1");
      if (!states.isEmpty()) {
        sql.append(" AND state IN (");
        for (int i = 0; i < states.size(); i++) {
          sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
      }
      if (owner != null) {
        sql.append(" AND owner = ?");
      }
      sql.append(" ORDER BY id DESC LIMIT ?");
      try (PreparedStatement p = c.prepareStatement(sql.toString())) {
        int i = 1;
        for (JobState s : states) {
          p.setString(i++, s.name());
        }
        if (owner != null) {
          p.setString(i++, owner);
        }
        p.setInt(i, limit);
        List<Job> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(Rows.job(rs));
          }
        }
        return out;
      }
    });
  }

  /** Every job in one state, oldest first. */
  public List<Job> jobsIn(JobState state) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE state = ? ORDER BY id")) {
        p.setString(1, state.name());
        List<Job> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(Rows.job(rs));
          }
        }
        return out;
      }
    });
  }

  /** A job's events with {@code seq > afterSeq}, in order. */
  public List<JobEvent> events(JobId id, long afterSeq, int limit) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + Rows.EVENT_COLUMNS
          + " FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
        p.setString(1, id.value());
        p.setLong(2, afterSeq);
        p.setInt(3, limit);
        return events(p);
      }
    });
  }

  /** All jobs' events with global {@code id > afterId}, in order. */
  public List<JobEvent> eventsAfter(long afterId, int limit) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + Rows.EVENT_COLUMNS
          + " FROM job_events WHERE id > ? ORDER BY id LIMIT ?")) {
        p.setLong(1, afterId);
        p.setInt(2, limit);
        return events(p);
      }
    });
  }

  private static List<JobEvent> events(PreparedStatement p) throws SQLException {
    List<JobEvent> out = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.add(Rows.event(rs));
      }
    }
    return out;
  }

  /** The sequence number of the job's latest event (0 before any), kept on the job's row. */
  public long lastSeq(JobId id) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT last_seq FROM jobs WHERE id = ?")) {
        p.setString(1, id.value());
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 0L;
        }
      }
    });
  }

  /** How many of owner's jobs are queued, preparing or running (its quota's measure). */
  public long activeJobsOf(String owner) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT count(*) FROM jobs WHERE state IN ('QUEUED', 'PREPARING', 'RUNNING') AND owner = ?")) {
        p.setString(1, owner);
        try (ResultSet rs = p.executeQuery()) {
          return rs.getLong(1);
        }
      }
    });
  }

  public Map<JobState, Long> countByState() {
    return read(c -> {
      Map<JobState, Long> m = new EnumMap<>(JobState.class);
      for (JobState s : JobState.values()) {
        m.put(s, 0L);
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT state, count(*) FROM jobs GROUP BY state")) {
        while (rs.next()) {
          m.put(JobState.valueOf(rs.getString(1)), rs.getLong(2));
        }
      }
      return m;
    });
  }

  public List<AclEntry> acl() {
    return read(c -> {
      List<AclEntry> out = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT public_key, role, added_at FROM acl ORDER BY public_key")) {
        while (rs.next()) {
          out.add(new AclEntry(rs.getString(1), rs.getString(2), rs.getLong(3)));
        }
      }
      return out;
    });
  }

  public Optional<StoredResult> result(JobId id) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT job_id, inline, path, sha256, size FROM results WHERE job_id = ?")) {
        p.setString(1, id.value());
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? Optional.of(new StoredResult(rs.getString(1), rs.getBytes(2),
              rs.getString(3), rs.getString(4), rs.getLong(5))) : Optional.empty();
        }
      }
    });
  }

  /** Undelivered outbox entries, oldest first. */
  public List<OutboxEntry> pendingOutbox(int limit) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT o.id, o.recipient, o.attempts, e.id,"
          + " e.job_id, e.seq, e.type, e.payload, e.time FROM outbox o JOIN job_events e"
          + " ON e.id = o.event_id WHERE o.delivered_at IS NULL ORDER BY o.id LIMIT ?")) {
        p.setInt(1, limit);
        List<OutboxEntry> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            JobEvent e = new JobEvent(rs.getLong(4), new JobId(rs.getString(5)), rs.getLong(6),
                rs.getString(7), rs.getString(8), rs.getLong(9));
            out.add(new OutboxEntry(rs.getLong(1), rs.getString(2), e, rs.getInt(3)));
          }
        }
        return out;
      }
    });
  }

  interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(Query<T> q) {
    Connection c;
    try {
      c = readers.poll(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted waiting for a read connection");
    }
    if (c == null) {
      throw new StoreException("no read connection free within 10 s");
    }
    try {
      return q.run(c);
    } catch (SQLException e) {
      throw new StoreException("read failed: " + e.getMessage(), e);
    } finally {
      readers.add(c);
    }
  }

  /** Finishes queued writes, checkpoints the WAL into the database file and closes. */
  @Override
  public void close() {
    synchronized (ops) {
      if (closed) {
        return;
      }
      closed = true;
      ops.add(STOP); // after every unit already queued, which still runs
    }
    try {
      writer.join(30_000);
      if (writer.isAlive()) {
        LOG.warning("store writer did not finish within 30 s");
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    writes.close();
    for (Connection c : readers) {
      quietClose(c);
    }
    try (Statement s = writeConn.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "checkpoint at close failed", e);
    }
    quietClose(writeConn);
  }

  private static void quietClose(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing
    }
  }
}

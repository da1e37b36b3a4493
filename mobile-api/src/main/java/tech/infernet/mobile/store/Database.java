package tech.infernet.mobile.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One SQLite file (WAL) with a single ordered writer: every write runs, in submission order, in
 * its own transaction on one dedicated thread, so callers never contend for the write lock and
 * never block an event loop. Reads use a small pool of read-only connections on the caller's
 * thread (call them from worker threads). Used by the event log, the revocation list and the push
 * token registry; each creates its own tables.
 */
public final class Database implements AutoCloseable {
  /** A unit of SQL work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private static final int READERS = 4;

  private final Path file;
  private final Connection writer;
  private final ExecutorService writeThread;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final List<Connection> allReaders = new ArrayList<>();
  private volatile boolean closed;

  private Database(Path file) throws SQLException {
    this.file = file;
    this.writer = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = writer.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA busy_timeout=5000");
      s.execute("PRAGMA foreign_keys=ON");
    }
    writer.setAutoCommit(false);
    for (int i = 0; i < READERS; i++) {
      Connection r = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = r.createStatement()) {
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("PRAGMA query_only=ON");
      }
      readers.add(r);
      allReaders.add(r);
    }
    this.writeThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mobile-db-writer");
      t.setDaemon(true);
      return t;
    });
  }

  public static Database open(Path file) throws SQLException {
    return new Database(file);
  }

  public Path file() {
    return file;
  }

  /** Runs {@code work} in a transaction on the writer thread; completes after the commit. */
  public <T> CompletableFuture<T> write(Work<T> work) {
    return write(work, t -> { });
  }

  /**
   * Like {@link #write(Work)}, and runs {@code afterCommit} on the writer thread right after the
   * commit, before the next write: listeners see results in commit order.
   */
  public <T> CompletableFuture<T> write(Work<T> work, Consumer<? super T> afterCommit) {
    if (closed) {
      return CompletableFuture.failedFuture(new SQLException("database closed"));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        T t = work.run(writer);
        writer.commit();
        afterCommit.accept(t);
        return t;
      } catch (SQLException | RuntimeException e) {
        try {
          writer.rollback();
        } catch (SQLException ignored) {
          // the original failure is the one to report
        }
        throw new StoreException(e);
      }
    }, writeThread);
  }

  /** Runs {@code work} on a read-only connection on this thread (a worker, never an event loop). */
  public <T> T read(Work<T> work) {
    Connection c;
    try {
      c = readers.poll(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(e);
    }
    if (c == null) {
      throw new StoreException(new SQLException("no read connection free within 10 s"));
    }
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException(e);
    } finally {
      readers.add(c);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writeThread.shutdown();
    try {
      writeThread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Connection c : allReaders) {
      quietly(c);
    }
    quietly(writer);
  }

  private static void quietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing
    }
  }
}

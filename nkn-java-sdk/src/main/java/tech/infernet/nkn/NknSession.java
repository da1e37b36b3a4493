package tech.infernet.nkn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A reliable, ordered, encrypted byte stream between two NKN clients (an ncp session over the
 * sub-clients of both ends). Each direction can be ended on its own: after
 * {@link #shutdownOutput()} the peer reads end-of-stream and this side can still read the
 * answer. One reader and one writer thread at a time; reads and writes block.
 */
public final class NknSession implements AutoCloseable {
  private static final int CLOSE_TIMEOUT_MS = 10_000;

  private final long handle;
  private final NknClient owner;
  private final String remoteAddress;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final InputStream input = new Input();
  private final OutputStream output = new Output();
  private volatile int ioTimeoutMs;

  NknSession(long handle, NknClient owner, Duration ioTimeout) {
    this.handle = handle;
    this.owner = owner;
    this.remoteAddress = new String(NativeNkn.sessionRemoteAddress(handle), StandardCharsets.UTF_8);
    setIoTimeout(ioTimeout);
  }

  /** The remote client's NKN address. */
  public String remoteAddress() {
    return remoteAddress;
  }

  /** Read and write timeout; zero waits forever. A timed-out read can be retried. */
  public void setIoTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    ioTimeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }

  public InputStream getInputStream() {
    return input;
  }

  public OutputStream getOutputStream() {
    return output;
  }

  /** Ends this side's data: the peer reads end-of-stream once it has read what was written. */
  public void shutdownOutput() throws IOException {
    try {
      NativeNkn.sessionCloseWrite(handle, CLOSE_TIMEOUT_MS);
    } catch (NknException e) {
      throw io(e);
    }
  }

  /** Ends this side's data if still open and closes the session. Closing twice is harmless. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    owner.forget(this);
    try {
      NativeNkn.sessionClose(handle, CLOSE_TIMEOUT_MS);
    } catch (NknException e) {
      System.getLogger(NknSession.class.getName())
          .log(System.Logger.Level.DEBUG, "closing session to " + remoteAddress + ": " + e.getMessage());
    }
  }

  private static IOException io(NknException e) {
    if (e.code() == NknException.Code.TIMEOUT) {
      SocketTimeoutException timeout = new SocketTimeoutException(e.getMessage());
      timeout.initCause(e);
      return timeout;
    }
    return new IOException(e.getMessage(), e);
  }

  private final class Input extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n;
      do {
        n = read(one, 0, 1);
      } while (n == 0);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      try {
        return NativeNkn.sessionRead(handle, b, off, len, ioTimeoutMs);
      } catch (NknException e) {
        throw io(e);
      }
    }

    @Override
    public void close() {
      NknSession.this.close();
    }
  }

  private final class Output extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return;
      }
      try {
        NativeNkn.sessionWrite(handle, b, off, len, ioTimeoutMs);
      } catch (NknException e) {
        throw io(e);
      }
    }

    /** Closing the output stream half-closes the session, like a socket's shutdownOutput. */
    @Override
    public void close() throws IOException {
      shutdownOutput();
    }
  }
}

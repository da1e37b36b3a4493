package tech.infernet.nkn;

/**
 * The JNI entry points of the Go library (nkn-sdk-go built with -buildmode=c-shared).
 *
 * <p>The ABI is deliberately narrow: only primitives and byte arrays cross (copied at the
 * boundary), Go objects are named by integer handles, and Go never calls into the JVM:
 * Java threads pull incoming messages and outcomes with {@link #clientPoll}. Calls block the
 * calling thread; none may run on an event loop.
 */
final class NativeNkn {
  static {
    NativeLibrary.load();
  }

  private NativeNkn() {}

  static native byte[] publicKey(byte[] seed);

  static native long clientOpen(byte[] seed, byte[] optionsJson);

  static native byte[] clientAddress(long client);

  /** Destinations joined by '\n'. The outcome arrives through clientPoll under request. */
  static native void clientSend(long client, byte[] destinations, byte[] data, long request,
      boolean wantReply, int replyTimeoutMs);

  /** Sends and waits on the calling thread; the reply encoded as str16 source + bytes32 data. */
  static native byte[] clientSendAndWait(long client, byte[] destinations, byte[] data, int replyTimeoutMs);

  static native void clientReply(long client, long token, byte[] data, long request);

  /** A batch of event records (see NativeEvents), or null when none came within the timeout. */
  static native byte[] clientPoll(long client, int timeoutMs, int maxBytes);

  static native void clientClose(long client);

  /** Patterns joined by '\n'. */
  static native void clientListen(long client, byte[] patterns);

  /** A session handle, or 0 when none arrived within the timeout. */
  static native long clientAccept(long client, int timeoutMs);

  static native long clientDial(long client, byte[] address, int timeoutMs);

  static native byte[] clientSubscribe(long client, byte[] identifier, byte[] topic,
      int durationBlocks, byte[] meta);

  static native byte[] clientSubscribers(long client, byte[] topic, int limit, boolean txPool);

  /** Bytes read into buf, or -1 at the end of the peer's data. */
  static native int sessionRead(long session, byte[] buf, int off, int len, int timeoutMs);

  static native void sessionWrite(long session, byte[] buf, int off, int len, int timeoutMs);

  static native void sessionCloseWrite(long session, int timeoutMs);

  static native void sessionClose(long session, int timeoutMs);

  static native byte[] sessionRemoteAddress(long session);

  /** Clients and sessions the native side still holds (for leak checks). */
  static native int liveHandles();

  static native int goroutines();

  static native byte[] version();

  /** Stacks of every goroutine, for diagnosing leaks. */
  static native byte[] goroutineDump();
}

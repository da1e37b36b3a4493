package tech.infernet.protocol;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Fixed keys and clocks shared by the tests. */
final class Fixtures {
  static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private Fixtures() {}

  static KeyPair key(int first) {
    byte[] seed = new byte[32];
    for (int i = 0; i < 32; i++) {
      seed[i] = (byte) (first + i);
    }
    return KeyPair.fromSeed(seed);
  }

  static byte[] nonce(int first) {
    byte[] n = new byte[24];
    for (int i = 0; i < 24; i++) {
      n[i] = (byte) (first + i);
    }
    return n;
  }

  static Clock clockAt(long ms) {
    return Clock.fixed(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
  }

  /** A clock whose time a test moves. */
  static final class MutableClock extends Clock {
    private long ms;

    MutableClock(long ms) {
      this.ms = ms;
    }

    void set(long ms) {
      this.ms = ms;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(ms);
    }

    @Override
    public long millis() {
      return ms;
    }
  }
}

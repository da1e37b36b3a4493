package tech.infernet.agent.jobs;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * A job id: a ULID (48-bit millisecond time, 80 random bits, Crockford base32, 26 characters).
 * Ids sort by creation time; within one millisecond a generator increments the random part so
 * ids from one {@link Generator} are strictly increasing.
 */
public record JobId(String value) implements Comparable<JobId> {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final Pattern SHAPE = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

  public JobId {
    if (value == null || !SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException("not a job id (ULID): " + value);
    }
  }

  public static boolean isValid(String s) {
    return s != null && SHAPE.matcher(s).matches();
  }

  /** Milliseconds since the epoch encoded in the id. */
  public long timestampMillis() {
    long t = 0;
    for (int i = 0; i < 10; i++) {
      t = (t << 5) | decode(value.charAt(i));
    }
    return t;
  }

  @Override
  public int compareTo(JobId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }

  private static int decode(char c) {
    for (int i = 0; i < ALPHABET.length; i++) {
      if (ALPHABET[i] == c) {
        return i;
      }
    }
    throw new IllegalArgumentException("bad ULID character " + c);
  }

  /** Thread-safe monotonic ULID generator. */
  public static final class Generator {
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private long hi; // upper 16 bits of the 80-bit random part
    private long lo; // lower 64 bits

    public synchronized JobId next(long nowMillis) {
      if (nowMillis > lastMillis) {
        lastMillis = nowMillis;
        hi = random.nextInt(1 << 16);
        lo = random.nextLong();
      } else {
        lo++;
        if (lo == 0) {
          hi = (hi + 1) & 0xFFFF;
        }
      }
      char[] out = new char[26];
      long t = lastMillis;
      for (int i = 9; i >= 0; i--) {
        out[i] = ALPHABET[(int) (t & 31)];
        t >>>= 5;
      }
      // The 80 random bits (hi:16, lo:64) as 16 characters of 5 bits, least significant last.
      long h = hi;
      long l = lo;
      for (int i = 25; i >= 10; i--) {
        out[i] = ALPHABET[(int) (l & 31)];
        l = (l >>> 5) | ((h & 31) << 59);
        h >>>= 5;
      }
      return new JobId(new String(out));
    }

    public JobId next() {
      return next(System.currentTimeMillis());
    }
  }
}

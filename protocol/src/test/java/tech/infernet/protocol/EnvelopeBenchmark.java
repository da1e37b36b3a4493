package tech.infernet.protocol;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Single-thread cost of sealing and of opening one envelope (1 KiB payload), binary form. Not a
 * test; run with {@code java -cp <test classpath> tech.infernet.protocol.EnvelopeBenchmark}.
 */
public final class EnvelopeBenchmark {
  private EnvelopeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    KeyPair alice = Fixtures.key(1);
    KeyPair bob = Fixtures.key(101);
    Sealer sealer = new Sealer(alice, new SecureRandom(), Fixtures.clockAt(Fixtures.T0));
    byte[] payload = new byte[1024];
    byte[][] wire = new byte[n][];
    long[] sealNs = new long[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      wire[i] = EnvelopeCodec.toBinary(sealer.seal(bob.publicKey(), MessageType.JOB_SUBMIT, payload));
      sealNs[i] = System.nanoTime() - t;
    }
    Receiver r = new Receiver(bob, new InMemoryReplayCache(n), Fixtures.clockAt(Fixtures.T0), Receiver.Options.DEFAULT);
    long[] openNs = new long[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      r.open(wire[i]);
      openNs[i] = System.nanoTime() - t;
    }
    report("seal", sealNs);
    report("open", openNs);
  }

  private static void report(String what, long[] ns) {
    long[] s = Arrays.copyOfRange(ns, ns.length / 2, ns.length); // second half: after JIT warm-up
    Arrays.sort(s);
    System.out.printf("%s: p50 %.1f us, p99 %.1f us over %d ops (%d bytes on the wire)%n", what,
        s[s.length / 2] / 1000.0, s[s.length * 99 / 100] / 1000.0, s.length, EnvelopeCodec.MIN_BINARY_BYTES + 1024);
  }
}

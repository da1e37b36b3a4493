package tech.infernet.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Property: whatever bytes reach a decoder, it either accepts them (and what it accepted
 * round-trips) or refuses them with a stable code; no other exception escapes. Each target gets
 * {@code infernet.fuzz.seconds} (1 s in a normal build; e.g. {@code -Dinfernet.fuzz.seconds=600}
 * for a long run) of mutated seeds: bit flips, byte changes, inserts, deletions, duplications,
 * splices, and JSON-aware token swaps. {@code -Dinfernet.fuzz.seed=N} replays a run; a failing
 * input is saved under target/fuzz-failures/.
 */
class FuzzPropertiesTest {
  private static final String[] JSON_TOKENS = {"null", "true", "0", "-1", "1e999", "-0.0", "1.5", "9223372036854775808",
      "\"\"", "\"\\ud800\"", "\"\\u0000\"", "[]", "{}", "[[[[[[[[", "\"%%global.x%%\"", "\"container/run\"", "\"0.1\"",
      "\"job.submit\"", "\"AAAA\"", "1", "2", "{\"a\":1,\"a\":2}", "\"é\"", "\"" + "a".repeat(300) + "\""};

  private static final long SECONDS = Long.getLong("infernet.fuzz.seconds", 1);

  @TestFactory
  Stream<DynamicTest> noDecoderThrowsAnythingButACodedRefusal() throws Exception {
    Map<String, List<byte[]>> seeds = FuzzSeeds.all();
    long base = Long.getLong("infernet.fuzz.seed", System.nanoTime());
    return FuzzTargets.TARGETS.stream().map(t -> DynamicTest.dynamicTest(t, () -> fuzz(t, seeds, base + t.hashCode())));
  }

  private static void fuzz(String target, Map<String, List<byte[]>> seeds, long seed) throws Exception {
    Random r = new Random(seed);
    List<byte[]> corpus = seeds.get(target);
    for (byte[] s : corpus) {
      FuzzTargets.run(target, s);
    }
    long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
    long runs = 0;
    while (System.nanoTime() < deadline) {
      byte[] input = corpus.get(r.nextInt(corpus.size())).clone();
      int n = 1 + r.nextInt(r.nextBoolean() ? 2 : 8);
      for (int i = 0; i < n; i++) {
        input = mutate(input, r, corpus);
      }
      try {
        FuzzTargets.run(target, input);
      } catch (Throwable t) {
        Path dir = Path.of("target/fuzz-failures");
        Files.createDirectories(dir);
        Path f = dir.resolve(target + "-" + seed + "-" + runs);
        Files.write(f, input);
        throw new AssertionError(target + " failed on " + f + " (replay with -Dinfernet.fuzz.seed="
            + (seed - target.hashCode()) + "): " + t, t);
      }
      runs++;
    }
    assertTrue(runs > 0 || SECONDS == 0);
    System.out.println("fuzz " + target + ": " + runs + " mutated inputs, seed " + (seed - target.hashCode()));
  }

  static byte[] mutate(byte[] in, Random r, List<byte[]> corpus) {
    int len = in.length;
    switch (r.nextInt(9)) {
      case 0: // flip a bit
        if (len > 0) {
          in[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
        }
        return in;
      case 1: // set a byte to an interesting or random value
        if (len > 0) {
          int[] interesting = {0, 1, 0x7F, 0x80, 0xFF, '"', '{', '}', '[', ']', ',', ':', '\\', '%', '0', '9'};
          in[r.nextInt(len)] = (byte) (r.nextBoolean() ? interesting[r.nextInt(interesting.length)] : r.nextInt(256));
        }
        return in;
      case 2: { // insert random bytes
        int at = r.nextInt(len + 1);
        byte[] add = new byte[1 + r.nextInt(8)];
        r.nextBytes(add);
        return splice(in, at, at, add);
      }
      case 3: { // delete a range
        if (len == 0) {
          return in;
        }
        int a = r.nextInt(len);
        int b = Math.min(len, a + 1 + r.nextInt(Math.max(1, len / 4)));
        return splice(in, a, b, new byte[0]);
      }
      case 4: { // duplicate a range
        if (len == 0) {
          return in;
        }
        int a = r.nextInt(len);
        int b = Math.min(len, a + 1 + r.nextInt(64));
        return splice(in, b, b, java.util.Arrays.copyOfRange(in, a, b));
      }
      case 5: { // splice with another seed
        byte[] other = corpus.get(r.nextInt(corpus.size()));
        int a = r.nextInt(len + 1);
        int b = r.nextInt(other.length + 1);
        byte[] out = java.util.Arrays.copyOf(in, a + other.length - b);
        System.arraycopy(other, b, out, a, other.length - b);
        return out;
      }
      case 6: { // replace a JSON value-ish token with an interesting one
        String s = new String(in, StandardCharsets.ISO_8859_1);
        int colon = s.indexOf(':', r.nextInt(Math.max(1, s.length())));
        if (colon < 0) {
          return in;
        }
        int end = colon + 1;
        while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
          end++;
        }
        return splice(in, colon + 1, end, JSON_TOKENS[r.nextInt(JSON_TOKENS.length)].getBytes(StandardCharsets.UTF_8));
      }
      case 7: { // write a big-endian integer somewhere (lengths, timestamps, indexes)
        if (len < 4) {
          return in;
        }
        int at = r.nextInt(len - 3);
        int v = r.nextBoolean() ? r.nextInt() : new int[] {0, 1, 15, 16, 17, 0x7FFFFFFF, -1, 1024, 4096}[r.nextInt(9)];
        java.nio.ByteBuffer.wrap(in, at, 4).putInt(v);
        return in;
      }
      default: // truncate
        return len == 0 ? in : java.util.Arrays.copyOf(in, r.nextInt(len));
    }
  }

  private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
    byte[] out = new byte[in.length - (to - from) + insert.length];
    System.arraycopy(in, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(in, to, out, from + insert.length, in.length - to);
    return out;
  }

  @Test
  void theJazzerRegressionInputsAreTheCurrentSeeds() throws Exception {
    if (Boolean.getBoolean("infernet.fuzz.writeSeeds")) {
      FuzzSeeds.writeJazzerInputs();
    }
    for (Map.Entry<String, List<byte[]>> e : FuzzSeeds.all().entrySet()) {
      assertTrue(Files.isDirectory(FuzzSeeds.JAZZER_INPUTS.resolve(e.getKey())),
          "seed inputs for " + e.getKey() + "; write them with -Dinfernet.fuzz.writeSeeds=true");
    }
  }
}

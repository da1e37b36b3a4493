package tech.infernet.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  private final TokenBuckets rates = new TokenBuckets(2, 4, clock::get);

  @Test
  void aKeyMaySpendItsBurstThenItsRateAndKeysDoNotShare() {
    for (int i = 0; i < 4; i++) {
      assertTrue(rates.tryTake("a"), "burst " + i);
    }
    assertFalse(rates.tryTake("a"), "burst spent");
    assertTrue(rates.tryTake("b"), "another key has its own bucket");
    clock.addAndGet(SECOND / 2);
    assertTrue(rates.tryTake("a"), "one token after half a second at 2/s");
    assertFalse(rates.tryTake("a"));
  }

  @Test
  void bucketsLeftAloneUntilFullAreDroppedSoKeysSeenOnceDoNotPileUp() {
    for (int i = 0; i < 1000; i++) {
      rates.tryTake("once-" + i);
    }
    rates.tryTake("busy");
    rates.tryTake("busy");
    assertEquals(1001, rates.size());

    clock.addAndGet(2 * SECOND + 1); // 4 tokens at 2/s: every bucket is full again
    assertTrue(rates.tryTake("busy"));

    assertEquals(1, rates.size(), "only the key just seen is kept");
    for (int i = 0; i < 3; i++) {
      assertTrue(rates.tryTake("busy"), "a dropped bucket comes back full: nothing was lost " + i);
    }
    assertFalse(rates.tryTake("busy"));
  }
}

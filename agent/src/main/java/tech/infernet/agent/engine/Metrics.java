package tech.infernet.agent.engine;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import tech.infernet.agent.jobs.JobState;

/** Counters kept by the engine; the API renders them with the store's counts. */
public final class Metrics {
  final AtomicLong submitted = new AtomicLong();
  final AtomicLong invalid = new AtomicLong();
  final AtomicLong runnerErrors = new AtomicLong();
  private final Map<JobState, DoubleAdder> durationSum = new EnumMap<>(JobState.class);
  private final Map<JobState, AtomicLong> durationCount = new EnumMap<>(JobState.class);

  Metrics() {
    for (JobState s : JobState.values()) {
      durationSum.put(s, new DoubleAdder());
      durationCount.put(s, new AtomicLong());
    }
  }

  void observe(JobState terminal, double seconds) {
    durationSum.get(terminal).add(seconds);
    durationCount.get(terminal).incrementAndGet();
  }

  public long submitted() {
    return submitted.get();
  }

  public long invalid() {
    return invalid.get();
  }

  public long runnerErrors() {
    return runnerErrors.get();
  }

  public double durationSum(JobState s) {
    return durationSum.get(s).sum();
  }

  public long durationCount(JobState s) {
    return durationCount.get(s).get();
  }
}

package tech.infernet.agent.engine;

import java.util.OptionalInt;

/** Concurrency limits: overall, and per GPU for jobs that want one. Dispatch thread only. */
final class Slots {
  private final int max;
  private final int perGpu;
  private final int[] gpuLoad;
  private int running;

  Slots(int max, int gpuCount, int perGpu) {
    this.max = max;
    this.perGpu = perGpu;
    this.gpuLoad = new int[gpuCount];
  }

  boolean mayRun(boolean gpu) {
    return running < max && (!gpu || freeGpu().isPresent());
  }

  /** Takes a slot (and the least loaded GPU when asked); call only after {@link #mayRun}. */
  OptionalInt take(boolean gpu) {
    running++;
    if (!gpu) {
      return OptionalInt.empty();
    }
    OptionalInt g = freeGpu();
    if (g.isPresent()) {
      gpuLoad[g.getAsInt()]++;
    }
    return g;
  }

  /** Takes a slot for a job re-attached after a restart, even above the limit. */
  OptionalInt force(boolean gpu) {
    running++;
    if (gpu && gpuLoad.length > 0) {
      int best = 0;
      for (int i = 1; i < gpuLoad.length; i++) {
        best = gpuLoad[i] < gpuLoad[best] ? i : best;
      }
      gpuLoad[best]++;
      return OptionalInt.of(best);
    }
    return OptionalInt.empty();
  }

  void release(OptionalInt gpu) {
    running--;
    gpu.ifPresent(g -> gpuLoad[g]--);
  }

  int running() {
    return running;
  }

  private OptionalInt freeGpu() {
    int best = -1;
    for (int i = 0; i < gpuLoad.length; i++) {
      if (gpuLoad[i] < perGpu && (best < 0 || gpuLoad[i] < gpuLoad[best])) {
        best = i;
      }
    }
    return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
  }
}

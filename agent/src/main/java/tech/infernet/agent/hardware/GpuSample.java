package tech.infernet.agent.hardware;

import java.util.List;

/** One telemetry reading of one GPU. Fields a source cannot tell are null. */
public record GpuSample(int index, Double utilizationPct, Long memoryUsedMiB, Long memoryTotalMiB,
                        Double temperatureC, Double powerW, Double powerLimitW, Integer smClockMHz,
                        Integer smClockMaxMHz, List<String> throttleReasons) {
  public GpuSample {
    throttleReasons = throttleReasons == null ? List.of() : List.copyOf(throttleReasons);
  }

  /** Throttled for a reason other than idling or a clock setting (power, thermal, slowdown). */
  public boolean throttled() {
    return throttleReasons.stream().anyMatch(r -> !r.equals("gpu_idle") && !r.endsWith("clocks_setting")
        && !r.equals("sync_boost"));
  }
}

package tech.infernet.agent.hardware;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns telemetry samples into events, edge-triggered: one event when a GPU goes over a limit,
 * one when it is back under (temperature with a hysteresis), nothing while it stays there.
 */
public final class TelemetryRules {
  /** Temperature limit (C), power limit as a fraction of the board limit, hysteresis (C). */
  public record Limits(double maxTemperatureC, double maxPowerFraction, double hysteresisC) {
    public static Limits defaults() {
      return new Limits(85, 0.98, 5);
    }
  }

  private final Limits limits;
  private final Map<String, Boolean> over = new HashMap<>();

  public TelemetryRules(Limits limits) {
    this.limits = limits;
  }

  public synchronized List<LimitEvent> evaluate(List<GpuSample> samples, long now) {
    List<LimitEvent> out = new ArrayList<>();
    for (GpuSample s : samples) {
      if (s.temperatureC() != null) {
        double t = s.temperatureC();
        edge(out, "gpu.temperature.high", "gpu.temperature.normal", s.index(), t, limits.maxTemperatureC(),
            t > limits.maxTemperatureC(), t <= limits.maxTemperatureC() - limits.hysteresisC(), now, "C");
      }
      if (s.powerW() != null && s.powerLimitW() != null && s.powerLimitW() > 0) {
        double cap = s.powerLimitW() * limits.maxPowerFraction();
        edge(out, "gpu.power.high", "gpu.power.normal", s.index(), s.powerW(), cap, s.powerW() > cap,
            s.powerW() <= cap, now, "W");
      }
      boolean thr = s.throttled();
      edge(out, "gpu.throttled", "gpu.unthrottled", s.index(), thr ? 1 : 0, 0.5, thr, !thr, now,
          String.join(",", s.throttleReasons()));
    }
    return out;
  }

  private void edge(List<LimitEvent> out, String up, String down, int gpu, double value, double limit,
                    boolean isOver, boolean isUnder, long now, String unit) {
    String key = up + "/" + gpu;
    boolean was = over.getOrDefault(key, false);
    boolean flag = !unit.equals("C") && !unit.equals("W"); // a yes/no reading: unit carries the reasons
    if (!was && isOver) {
      over.put(key, true);
      out.add(new LimitEvent(up, gpu, value, limit, now, flag ? "GPU " + gpu + " throttled (" + unit + ")"
          : "GPU " + gpu + " " + up.substring(4).replace('.', ' ') + ": " + fmt(value) + " " + unit + " (limit "
          + fmt(limit) + " " + unit + ")"));
    } else if (was && isUnder) {
      over.put(key, false);
      out.add(new LimitEvent(down, gpu, value, limit, now, flag ? "GPU " + gpu + " no longer throttled"
          : "GPU " + gpu + " " + down.substring(4).replace('.', ' ') + ": " + fmt(value) + " " + unit));
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
  }
}

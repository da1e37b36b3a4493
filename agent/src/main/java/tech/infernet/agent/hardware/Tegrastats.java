package tech.infernet.agent.hardware;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code tegrastats}. The formats differ by JetPack: {@code GR3D_FREQ 10%@1300} (JP4-6),
 * {@code GR3D_FREQ 0%@[305]} / {@code 0%@[0,0]} (per-GPC frequencies), {@code GR3D_FREQ @[0,0,0]}
 * (Thor, JP7: no load figure), rails as {@code VDD_IN 6140/5510} (JP4, mW implied) or
 * {@code VDD_IN 2763mW/2846mW}, temperatures as {@code GPU@45.5C} or {@code gpu@47.625C}.
 */
public record Tegrastats(long ramUsedMiB, long ramTotalMiB, Integer gpuLoadPct, List<Integer> gpuFreqMHz,
                         Map<String, Double> temperaturesC, Map<String, Integer> powerMilliwatts) {
  public Tegrastats {
    gpuFreqMHz = List.copyOf(gpuFreqMHz);
    temperaturesC = Map.copyOf(temperaturesC);
    powerMilliwatts = Map.copyOf(powerMilliwatts);
  }

  private static final Pattern RAM = Pattern.compile("\\bRAM (\\d+)/(\\d+)MB");
  private static final Pattern GR3D = Pattern.compile("\\bGR3D_FREQ (?:(\\d+)%)?(?:@\\[?([\\d,]*)\\]?)?");
  private static final Pattern TEMP = Pattern.compile("\\b([A-Za-z][A-Za-z0-9_]*)@(-?\\d+(?:\\.\\d+)?)C\\b");
  private static final Pattern RAIL = Pattern.compile("\\b([A-Z][A-Z0-9_]*) (\\d+)(?:mW)?/(\\d+)(?:mW)?\\b");
  /** Sensors reporting -256 C are absent (tegrastats prints that for powered-off zones). */
  private static final double ABSENT = -256;

  public static Probed<Tegrastats> parse(String line) {
    Matcher ram = RAM.matcher(line);
    if (!ram.find()) {
      return Probed.unavailable("not a tegrastats line (no RAM field)");
    }
    Integer load = null;
    List<Integer> freqs = new ArrayList<>();
    Matcher g = GR3D.matcher(line);
    if (g.find()) {
      if (g.group(1) != null) {
        load = Integer.parseInt(g.group(1));
      }
      if (g.group(2) != null) {
        for (String f : g.group(2).split(",")) {
          if (!f.isBlank()) {
            freqs.add(Integer.parseInt(f.strip()));
          }
        }
      }
    }
    Map<String, Double> temps = new LinkedHashMap<>();
    Matcher t = TEMP.matcher(line);
    while (t.find()) {
      String name = t.group(1);
      if (name.matches("\\d.*")) {
        continue;
      }
      double v = Double.parseDouble(t.group(2));
      if (v != ABSENT) {
        temps.put(name, v);
      }
    }
    Map<String, Integer> rails = new LinkedHashMap<>();
    Matcher r = RAIL.matcher(line);
    while (r.find()) {
      String name = r.group(1);
      if (name.equals("RAM") || name.equals("SWAP") || name.equals("IRAM")) {
        continue;
      }
      rails.put(name, Integer.parseInt(r.group(2)));
    }
    return Probed.ok(new Tegrastats(Long.parseLong(ram.group(1)), Long.parseLong(ram.group(2)), load, freqs, temps,
        rails));
  }
}

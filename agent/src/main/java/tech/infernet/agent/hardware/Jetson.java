package tech.infernet.agent.hardware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An NVIDIA Jetson: L4T release and JetPack, device-tree model, power mode, GPU load and
 * frequency from devfreq, thermal zones. Its GPU has no memory of its own (system RAM is shared).
 */
public record Jetson(String model, String l4t, String jetpack, String powerMode, Integer gpuLoadPct,
                     Long gpuFreqHz, Long gpuMaxFreqHz, Map<String, Double> thermalC) {
  public Jetson {
    thermalC = Map.copyOf(thermalC);
  }

  // L4T release -> JetPack, from NVIDIA's JetPack archive as tabulated by jetson-stats
  // (rbonghi/jetson_stats jtop/core/jetson_variables.py, NVIDIA_JETPACK).
  private static final Map<String, String> JETPACK = Map.ofEntries(
      Map.entry("36.4.3", "6.2"), Map.entry("36.4.2", "6.1 (rev1)"), Map.entry("36.4.0", "6.1"),
      Map.entry("36.3.0", "6.0"), Map.entry("36.2.0", "6.0 DP"), Map.entry("36.0.0", "6.0 EA"),
      Map.entry("35.6.0", "5.1.4"), Map.entry("35.5.0", "5.1.3"), Map.entry("35.4.1", "5.1.2"),
      Map.entry("35.3.1", "5.1.1"), Map.entry("35.3.0", "5.1.1 PRE"), Map.entry("35.2.1", "5.1"),
      Map.entry("35.1.0", "5.0.2 GA"), Map.entry("34.1.1", "5.0.1 DP"), Map.entry("34.1.0", "5.0 DP"),
      Map.entry("32.7.6", "4.6.6"), Map.entry("32.7.5", "4.6.5"), Map.entry("32.7.4", "4.6.4"),
      Map.entry("32.7.3", "4.6.3"), Map.entry("32.7.2", "4.6.2"), Map.entry("32.7.1", "4.6.1"),
      Map.entry("32.6.1", "4.6"));

  private static final Pattern RELEASE = Pattern.compile("#\\s*R(\\d+)\\s*\\(release\\),\\s*REVISION:\\s*([\\d.]+)");
  private static final Pattern POWER_MODE = Pattern.compile("NV Power Mode:\\s*(.+)");
  private static final String[] GPU_NODES = {"gpu", "gv11b", "gp10b", "ga10b", "gb10b", "gm20b"};

  /** "36.4.3" from the first line of /etc/nv_tegra_release, or null. */
  public static String l4t(String nvTegraRelease) {
    Matcher m = RELEASE.matcher(nvTegraRelease);
    if (!m.find()) {
      return null;
    }
    String rev = m.group(2);
    return m.group(1) + "." + (rev.chars().filter(c -> c == '.').count() == 0 ? rev + ".0" : rev);
  }

  /** JetPack for an L4T release: exact when known, else the family ("6.x") by major release. */
  public static String jetpack(String l4t) {
    String exact = JETPACK.get(l4t);
    if (exact != null) {
      return exact;
    }
    int major = Integer.parseInt(l4t.substring(0, l4t.indexOf('.')));
    return switch (major) {
      case 32 -> "4.x";
      case 34, 35 -> "5.x";
      case 36 -> "6.x";
      case 38, 39 -> "7.x";
      default -> "unknown";
    };
  }

  static Probed<Jetson> probe(Host host) {
    String rel = host.read("/etc/nv_tegra_release");
    if (rel == null) {
      return Probed.unavailable("not a Jetson (no /etc/nv_tegra_release)");
    }
    String l4t = l4t(rel);
    if (l4t == null) {
      return Probed.unavailable("/etc/nv_tegra_release has no release line: " + NvidiaSmi.abbreviate(rel.strip()));
    }
    String model = host.read("/proc/device-tree/model");
    model = model == null ? null : model.replace("\u0000", "").strip();
    String mode = null;
    Probed<String> q = host.run("nvpmodel", "-q");
    if (q.isOk()) {
      Matcher m = POWER_MODE.matcher(q.orNull());
      if (m.find()) {
        mode = m.group(1).strip();
      }
    }
    Integer load = null;
    Long cur = null;
    Long max = null;
    Path devfreq = gpuDevfreq(host);
    if (devfreq != null) {
      Long tenths = readLong(devfreq.resolve("device/load"));
      load = tenths == null ? null : (int) Math.round(tenths / 10.0);
      cur = readLong(devfreq.resolve("cur_freq"));
      max = readLong(devfreq.resolve("max_freq"));
    }
    return Probed.ok(new Jetson(model, l4t, jetpack(l4t), mode, load, cur, max, thermal(host)));
  }

  /** The devfreq directory whose device-tree node is the GPU (works from Nano to Thor). */
  static Path gpuDevfreq(Host host) {
    Path dir = host.file("/sys/class/devfreq");
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        String node = readString(p.resolve("device/of_node/name"));
        if (node != null) {
          for (String g : GPU_NODES) {
            if (node.replace("\u0000", "").strip().equals(g)) {
              return p;
            }
          }
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** Thermal zones by type, in degrees C (sysfs reports millidegrees). */
  static Map<String, Double> thermal(Host host) {
    Map<String, Double> out = new TreeMap<>();
    Path dir = host.file("/sys/class/thermal");
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().startsWith("thermal_zone")).sorted().forEach(p -> {
        String type = readString(p.resolve("type"));
        Long milli = readLong(p.resolve("temp"));
        if (type != null && milli != null && milli > -256_000) {
          out.put(type.strip(), milli / 1000.0);
        }
      });
    } catch (IOException e) {
      return new LinkedHashMap<>();
    }
    return out;
  }

  static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static Long readLong(Path p) {
    String s = readString(p);
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

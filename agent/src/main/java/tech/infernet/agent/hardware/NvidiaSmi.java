package tech.infernet.agent.hardware;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nvidia-smi} output: the CSV of {@code --query-gpu} (with or without header and
 * units) and, as a fallback for old drivers, the default table. Anything else is "garbage" and
 * makes the probe unavailable rather than half-right.
 */
public final class NvidiaSmi {
  private NvidiaSmi() {}

  /** Inventory query. compute_cap needs driver 510+; {@link #INVENTORY_OLD} is the retry without it. */
  public static final List<String> INVENTORY = List.of("index", "name", "uuid", "driver_version",
      "memory.total", "memory.used", "compute_cap");
  public static final List<String> INVENTORY_OLD = List.of("index", "name", "uuid", "driver_version",
      "memory.total", "memory.used");
  /** Telemetry query; the throttle bitmask field exists since driver 384. */
  public static final List<String> TELEMETRY = List.of("index", "utilization.gpu", "memory.used",
      "memory.total", "temperature.gpu", "power.draw", "power.limit", "clocks.sm", "clocks.max.sm",
      "clocks_throttle_reasons.active");

  public static List<String> argv(List<String> fields) {
    return List.of("nvidia-smi", "--query-gpu=" + String.join(",", fields), "--format=csv,noheader,nounits");
  }

  /** Rows of the CSV as field -> value, units stripped, N/A as null; unavailable on garbage. */
  public static Probed<List<Map<String, String>>> parseCsv(List<String> fields, String text) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cols = line.split(",", -1);
      if (cols.length != fields.size()) {
        return Probed.unavailable("unexpected nvidia-smi output (" + cols.length + " columns, expected "
            + fields.size() + "): " + abbreviate(line));
      }
      if (rows.isEmpty() && isHeader(cols)) {
        continue; // header line of --format=csv
      }
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < cols.length; i++) {
        row.put(fields.get(i), clean(cols[i]));
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      return Probed.unavailable("nvidia-smi printed no GPU");
    }
    return Probed.ok(rows);
  }

  private static final Pattern HEADER_CELL = Pattern.compile("[a-z][a-z0-9_.]*(?: \\[[^\\]]+\\])?");

  /** The header of --format=csv: field names, some with a unit ("memory.total [MiB]"). */
  static boolean isHeader(String[] cols) {
    for (String c : cols) {
      if (!HEADER_CELL.matcher(c.strip()).matches()) {
        return false;
      }
    }
    return true;
  }

  /** The first present value among a field and its aliases (nvidia-smi accepts several names). */
  static String field(Map<String, String> row, String... names) {
    for (String n : names) {
      if (row.get(n) != null) {
        return row.get(n);
      }
    }
    return null;
  }

  /** GPUs from an inventory CSV. */
  public static Probed<List<Gpu>> gpus(List<String> fields, String text) {
    Probed<List<Map<String, String>>> rows = parseCsv(fields, text);
    if (!rows.isOk()) {
      return Probed.unavailable(rows.reason());
    }
    List<Gpu> out = new ArrayList<>();
    int n = 0;
    for (Map<String, String> r : rows.orNull()) {
      try {
        Integer idx = integer(r.get("index"));
        Long total = longValue(r.get("memory.total"));
        Long used = longValue(r.get("memory.used"));
        Long free = longValue(r.get("memory.free"));
        String name = field(r, "name", "gpu_name");
        if (name == null || (r.containsKey("memory.total") && total == null)) {
          return Probed.unavailable("unexpected nvidia-smi output: no name or memory for a GPU");
        }
        if (free == null && total != null && used != null) {
          free = total - used;
        }
        out.add(new Gpu(idx == null ? n : idx, name, field(r, "uuid", "gpu_uuid"), total, free,
            r.get("compute_cap"), null, r.get("driver_version"), null, false));
        n++;
      } catch (NumberFormatException e) {
        return Probed.unavailable("unexpected nvidia-smi output: " + e.getMessage());
      }
    }
    return Probed.ok(out);
  }

  /** Telemetry samples from a {@link #TELEMETRY}-style CSV. */
  public static Probed<List<GpuSample>> samples(List<String> fields, String text) {
    Probed<List<Map<String, String>>> rows = parseCsv(fields, text);
    if (!rows.isOk()) {
      return Probed.unavailable(rows.reason());
    }
    List<GpuSample> out = new ArrayList<>();
    int n = 0;
    try {
      for (Map<String, String> r : rows.orNull()) {
        Integer idx = integer(r.get("index"));
        String mask = r.containsKey("clocks_throttle_reasons.active") ? r.get("clocks_throttle_reasons.active")
            : r.get("clocks_event_reasons.active");
        out.add(new GpuSample(idx == null ? n : idx, decimal(r.get("utilization.gpu")), longValue(r.get("memory.used")),
            longValue(r.get("memory.total")), decimal(r.get("temperature.gpu")), decimal(r.get("power.draw")),
            decimal(r.get("power.limit")), integer(field(r, "clocks.sm", "clocks.current.sm")),
            integer(field(r, "clocks.max.sm", "clocks.max.graphics")), throttleReasons(mask)));
        n++;
      }
    } catch (NumberFormatException e) {
      return Probed.unavailable("unexpected nvidia-smi output: " + e.getMessage());
    }
    return Probed.ok(out);
  }

  private static final String[] REASONS = {"gpu_idle", "applications_clocks_setting", "sw_power_cap",
      "hw_slowdown", "sync_boost", "sw_thermal_slowdown", "hw_thermal_slowdown", "hw_power_brake_slowdown",
      "display_clocks_setting"};

  /** Decodes the clocks_throttle_reasons.active bitmask (NVML nvmlClocksThrottleReason*). */
  public static List<String> throttleReasons(String mask) {
    List<String> out = new ArrayList<>();
    if (mask == null || !mask.startsWith("0x")) {
      return out;
    }
    long bits = Long.parseUnsignedLong(mask.substring(2), 16);
    for (int i = 0; i < REASONS.length; i++) {
      if ((bits & (1L << i)) != 0) {
        out.add(REASONS[i]);
      }
    }
    return out;
  }

  private static final Pattern DRIVER = Pattern.compile("Driver Version:\\s*(\\S+)");
  private static final Pattern CUDA = Pattern.compile("CUDA Version:\\s*(\\S+)");
  private static final Pattern GPU_LINE = Pattern.compile("^\\s*(\\d+)\\s+(.*?)\\s+(On|Off)\\s*$");
  private static final Pattern MEM = Pattern.compile("(\\d+)MiB\\s*/\\s*(\\d+)MiB");

  /** GPUs and their readings from the default {@code nvidia-smi} table (names may be cut short). */
  public static Probed<List<Gpu>> table(String text) {
    Matcher d = DRIVER.matcher(text);
    Matcher c = CUDA.matcher(text);
    String driver = d.find() ? d.group(1) : null;
    String cuda = c.find() ? c.group(1) : null;
    List<Gpu> out = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      String[] cells = lines[i].split("\\|");
      if (cells.length < 3) {
        continue;
      }
      Matcher g = GPU_LINE.matcher(cells[1]);
      if (!g.matches()) {
        continue;
      }
      String[] next = lines[i + 1].split("\\|");
      if (next.length < 3) {
        continue;
      }
      Matcher m = MEM.matcher(next[2]);
      if (!m.find()) {
        continue;
      }
      long used = Long.parseLong(m.group(1));
      long total = Long.parseLong(m.group(2));
      out.add(new Gpu(Integer.parseInt(g.group(1)), g.group(2).strip(), null, total, total - used, null, null,
          driver, cuda, false));
    }
    if (out.isEmpty()) {
      return Probed.unavailable("nvidia-smi table lists no GPU");
    }
    return Probed.ok(out);
  }

  /** Readings from the table, for telemetry when the CSV query is refused. */
  public static List<GpuSample> tableSamples(String text) {
    List<GpuSample> out = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      String[] cells = lines[i].split("\\|");
      if (cells.length < 3 || !GPU_LINE.matcher(cells[1]).matches()) {
        continue;
      }
      String[] next = lines[i + 1].split("\\|");
      if (next.length < 4) {
        continue;
      }
      Matcher g = GPU_LINE.matcher(cells[1]);
      g.matches();
      String[] t = next[1].strip().split("\\s+"); // fan temp perf use / cap
      Double temp = t.length > 1 ? decimal(clean(t[1].replace("C", ""))) : null;
      Double use = null;
      Double cap = null;
      int slash = List.of(t).indexOf("/");
      if (slash > 0 && slash + 1 < t.length) {
        use = decimal(clean(t[slash - 1].replace("W", "")));
        cap = decimal(clean(t[slash + 1].replace("W", "")));
      }
      Matcher m = MEM.matcher(next[2]);
      Long used = null;
      Long total = null;
      if (m.find()) {
        used = Long.parseLong(m.group(1));
        total = Long.parseLong(m.group(2));
      }
      String[] u = next[3].strip().split("\\s+");
      Double util = u.length > 0 ? decimal(clean(u[0].replace("%", ""))) : null;
      out.add(new GpuSample(Integer.parseInt(g.group(1)), util, used, total, temp, use, cap, null, null, List.of()));
    }
    return out;
  }

  static String clean(String v) {
    String s = v.strip();
    if (s.isEmpty() || s.equals("N/A") || s.equals("[N/A]") || s.startsWith("[Not Supported")
        || s.equals("[Unknown Error]") || s.equals("[Insufficient Permissions]")) {
      return null;
    }
    for (String unit : List.of(" MiB", " %", " W", " MHz")) {
      if (s.endsWith(unit)) {
        return s.substring(0, s.length() - unit.length()).strip();
      }
    }
    return s;
  }

  static Integer integer(String s) {
    return s == null ? null : (int) Math.round(Double.parseDouble(s));
  }

  static Long longValue(String s) {
    return s == null ? null : Math.round(Double.parseDouble(s));
  }

  static Double decimal(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String abbreviate(String s) {
    String t = s.replaceAll("\\p{Cntrl}", "?");
    return t.length() > 120 ? t.substring(0, 120) + "..." : t;
  }
}

package tech.infernet.agent.hardware;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CPU model, physical cores, hardware threads, architecture and feature flags. */
public record Cpu(String model, int cores, int threads, String arch, List<String> flags) {
  public Cpu {
    flags = List.copyOf(flags);
  }

  // Arm "CPU part" ids (implementer 0x41) of cores found in Jetsons and Arm servers.
  private static final Map<String, String> ARM_PARTS = Map.ofEntries(
      Map.entry("0xd03", "Cortex-A53"), Map.entry("0xd04", "Cortex-A35"), Map.entry("0xd05", "Cortex-A55"),
      Map.entry("0xd07", "Cortex-A57"), Map.entry("0xd08", "Cortex-A72"), Map.entry("0xd09", "Cortex-A73"),
      Map.entry("0xd0a", "Cortex-A75"), Map.entry("0xd0b", "Cortex-A76"), Map.entry("0xd0c", "Neoverse-N1"),
      Map.entry("0xd0d", "Cortex-A77"), Map.entry("0xd40", "Neoverse-V1"), Map.entry("0xd41", "Cortex-A78"),
      Map.entry("0xd42", "Cortex-A78AE"), Map.entry("0xd49", "Neoverse-N2"), Map.entry("0xd4f", "Neoverse-V2"),
      Map.entry("0xd83", "Neoverse-V3AE"));

  static Probed<Cpu> probe(Host host) {
    String text = host.read("/proc/cpuinfo");
    if (text == null) {
      return Probed.unavailable("cannot read /proc/cpuinfo");
    }
    return parse(text, host.arch());
  }

  /** Parses /proc/cpuinfo (x86 and Arm layouts). */
  public static Probed<Cpu> parse(String cpuinfo, String arch) {
    int threads = 0;
    String model = null;
    String armPart = null;
    String hardware = null;
    List<String> flags = List.of();
    Set<String> coreIds = new HashSet<>();
    String physical = "0";
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      switch (key) {
        case "processor" -> threads++;
        case "model name" -> model = model == null ? value : model;
        case "Hardware" -> hardware = value;
        case "CPU part" -> armPart = armPart == null ? value : armPart;
        case "physical id" -> physical = value;
        case "core id" -> coreIds.add(physical + "/" + value);
        case "flags", "Features" -> {
          if (flags.isEmpty() && !value.isEmpty()) {
            flags = List.of(value.split("\\s+"));
          }
        }
        default -> { }
      }
    }
    if (threads == 0) {
      return Probed.unavailable("/proc/cpuinfo lists no processor");
    }
    if (model == null && armPart != null) {
      model = ARM_PARTS.getOrDefault(armPart.toLowerCase(java.util.Locale.ROOT), "Arm part " + armPart);
    }
    if (model == null) {
      model = hardware != null ? hardware : "unknown";
    }
    int cores = coreIds.isEmpty() ? threads : coreIds.size();
    return Probed.ok(new Cpu(model, cores, threads, arch, flags));
  }
}

package tech.infernet.agent.hardware;

/** System memory from /proc/meminfo, in bytes. */
public record Memory(long totalBytes, long availableBytes, long swapTotalBytes) {

  static Probed<Memory> probe(Host host) {
    String text = host.read("/proc/meminfo");
    return text == null ? Probed.unavailable("cannot read /proc/meminfo") : parse(text);
  }

  public static Probed<Memory> parse(String meminfo) {
    long total = -1;
    long avail = -1;
    long swap = 0;
    for (String line : meminfo.split("\n")) {
      String[] p = line.trim().split("\\s+");
      if (p.length < 2) {
        continue;
      }
      long kb;
      try {
        kb = Long.parseLong(p[1]);
      } catch (NumberFormatException e) {
        continue;
      }
      switch (p[0]) {
        case "MemTotal:" -> total = kb * 1024;
        case "MemAvailable:" -> avail = kb * 1024;
        case "SwapTotal:" -> swap = kb * 1024;
        default -> { }
      }
    }
    if (total <= 0) {
      return Probed.unavailable("/proc/meminfo has no MemTotal");
    }
    return Probed.ok(new Memory(total, avail < 0 ? total : avail, swap));
  }
}

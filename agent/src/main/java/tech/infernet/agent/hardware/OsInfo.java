package tech.infernet.agent.hardware;

/** Operating system name (os-release), kernel release and architecture. */
public record OsInfo(String name, String kernel, String arch) {

  static Probed<OsInfo> probe(Host host) {
    String kernel = host.read("/proc/sys/kernel/osrelease");
    String rel = host.read("/etc/os-release");
    if (kernel == null && rel == null) {
      return Probed.unavailable("neither /proc/sys/kernel/osrelease nor /etc/os-release is readable");
    }
    return Probed.ok(new OsInfo(rel == null ? "unknown" : prettyName(rel),
        kernel == null ? "unknown" : kernel.strip(), host.arch()));
  }

  static String prettyName(String osRelease) {
    String name = null;
    for (String line : osRelease.split("\n")) {
      if (line.startsWith("PRETTY_NAME=")) {
        return unquote(line.substring(12));
      }
      if (line.startsWith("NAME=")) {
        name = unquote(line.substring(5));
      }
    }
    return name == null ? "unknown" : name;
  }

  private static String unquote(String s) {
    s = s.strip();
    return s.length() >= 2 && (s.startsWith("\"") || s.startsWith("'")) ? s.substring(1, s.length() - 1) : s;
  }
}

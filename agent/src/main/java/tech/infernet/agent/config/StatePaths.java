package tech.infernet.agent.config;

import java.nio.file.Path;
import java.util.Map;

/** Where state lives: systemd's $STATE_DIRECTORY, else $XDG_DATA_HOME or ~/.local/share. */
public final class StatePaths {
  private StatePaths() {}

  public static Path stateDir(Map<String, String> env) {
    String systemd = env.get("STATE_DIRECTORY");
    if (systemd != null && !systemd.isBlank()) {
      return Path.of(systemd.split(":")[0]);
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("infernet-agent");
  }
}

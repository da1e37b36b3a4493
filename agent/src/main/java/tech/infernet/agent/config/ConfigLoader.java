package tech.infernet.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.infernet.agent.jobs.Json;
import tech.infernet.agent.jobs.Limits;
import tech.infernet.agent.jobs.SpecException;

/**
 * Loads the config file (JSON with comments; every key optional), applies environment overrides
 * ({@code INFERNET_AGENT_API_PORT=...}), validates every key and builds an {@link AgentConfig}.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static Path defaultFile(Path stateDir) {
    return stateDir.resolve("config.json");
  }

  public static AgentConfig load(Path file, Path stateDir, Map<String, String> env)
      throws ConfigException {
    Map<String, Object> flat = new HashMap<>();
    if (file != null && Files.exists(file)) {
      Object tree;
      try {
        tree = Json.parseWithComments(Files.readString(file), 8);
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
      } catch (SpecException e) {
        throw new ConfigException("config file " + file + " is not valid JSON: " + e.getMessage());
      }
      if (!(tree instanceof Map<?, ?> m)) {
        throw new ConfigException("config file " + file + " must hold a JSON object");
      }
      flatten("", m, flat);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Key k : Keys.ALL) {
      Object v = k.dflt();
      String source = "default";
      if (flat.containsKey(k.name())) {
        v = k.coerce(flat.remove(k.name()), "file " + file);
        source = "file";
      }
      String e = env.get(k.envName());
      if (e != null) {
        v = k.coerce(e, "environment " + k.envName());
        source = "env";
      }
      values.put(k.name(), source.equals("default") ? k.coerce(v, "default") : v);
    }
    if (!flat.isEmpty()) {
      throw new ConfigException("unknown config key '" + flat.keySet().iterator().next()
          + "' in " + file);
    }
    return build(values, stateDir);
  }

  private static void flatten(String prefix, Map<?, ?> m, Map<String, Object> out)
      throws ConfigException {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> sub) {
        flatten(key + ".", sub, out);
      } else {
        out.put(key, e.getValue());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static AgentConfig build(Map<String, Object> v, Path stateDir) throws ConfigException {
    Limits max = new Limits((int) v.get("limits.maxMemoryMb"), (double) v.get("limits.maxCpus"),
        (int) v.get("limits.maxPids"), (int) v.get("limits.maxTimeoutSeconds"));
    Limits dflt = new Limits((int) v.get("limits.defaultMemoryMb"), (double) v.get("limits.defaultCpus"),
        (int) v.get("limits.defaultPids"), (int) v.get("limits.defaultTimeoutSeconds"));
    if (dflt.memoryMb() > max.memoryMb()) {
      throw new ConfigException("config key 'limits.defaultMemoryMb': " + dflt.memoryMb()
          + " is above limits.maxMemoryMb " + max.memoryMb());
    }
    if (dflt.timeoutSeconds() > max.timeoutSeconds()) {
      throw new ConfigException("config key 'limits.defaultTimeoutSeconds': above limits.maxTimeoutSeconds");
    }
    String host = (String) v.get("api.host");
    if (host.isBlank()) {
      throw new ConfigException("config key 'api.host': must not be empty");
    }
    String url = ((String) v.get("inference.url")).strip();
    if (!url.isEmpty()) {
      try {
        java.net.URI u = new java.net.URI(url);
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
          throw new ConfigException("config key 'inference.url': must be an http(s) URL like"
              + " http://127.0.0.1:8080/v1, got \"" + url + "\"");
        }
      } catch (java.net.URISyntaxException e) {
        throw new ConfigException("config key 'inference.url': not a URL: " + e.getMessage());
      }
    }
    for (String cmd : (List<String>) v.get("process.allowedCommands")) {
      if (!cmd.equals("*") && !cmd.startsWith("/")) {
        throw new ConfigException("config key 'process.allowedCommands': \"" + cmd
            + "\" is not an absolute path (or \"*\")");
      }
    }
    return new AgentConfig(stateDir, host, (int) v.get("api.port"), (String) v.get("runner.engine"),
        (String) v.get("runner.runtime"), (String) v.get("runner.gpuMode"),
        (List<String>) v.get("runner.ulimits"), (String) v.get("runner.pullPolicy"),
        (int) v.get("runner.tmpfsMb"), (int) v.get("scheduler.maxConcurrent"),
        (int) v.get("scheduler.gpuCount"), (int) v.get("scheduler.maxPerGpu"),
        (int) v.get("scheduler.maxQueued"), max, dflt, (List<String>) v.get("policy.allowedImages"),
        (boolean) v.get("policy.allowNetwork"), (int) v.get("results.inlineMaxBytes"),
        (int) v.get("results.maxBytes"), (int) v.get("logs.maxBytesPerJob"), url,
        (String) v.get("inference.apiKey"), (int) v.get("inference.maxResponseBytes"),
        (int) v.get("inference.tokenFlushMillis"), (boolean) v.get("process.enabled"),
        (List<String>) v.get("process.allowedCommands"), nkn(v));
  }

  @SuppressWarnings("unchecked")
  private static AgentConfig.NknSettings nkn(Map<String, Object> v) throws ConfigException {
    List<String> seeds = (List<String>) v.get("nkn.seedRpc");
    boolean enabled = (boolean) v.get("nkn.enabled");
    if (enabled && seeds.isEmpty()) {
      throw new ConfigException("config key 'nkn.seedRpc': name at least one NKN node's JSON-RPC address, or set nkn.enabled to false");
    }
    for (String seed : seeds) {
      if (!seed.matches("https?://[^/\\s]+(/.*)?")) {
        throw new ConfigException("config key 'nkn.seedRpc': \"" + seed + "\" is not an http(s) URL like http://127.0.0.1:30003");
      }
    }
    String identifier = (String) v.get("nkn.identifier");
    if (!identifier.matches("[A-Za-z0-9_-]{0,64}")) {
      throw new ConfigException("config key 'nkn.identifier': use up to 64 letters, digits, '_' or '-'");
    }
    List<String> relays = (List<String>) v.get("nkn.relays");
    for (String relay : relays) {
      if (!relay.matches("([A-Za-z0-9_-]{1,64}\\.)?[0-9a-f]{64}")) {
        throw new ConfigException("config key 'nkn.relays': \"" + relay
            + "\" is not an NKN address like relay.<64 lower-case hex digits> (`infernet-relay address` prints it)");
      }
    }
    return new AgentConfig.NknSettings(enabled, seeds, identifier, (double) v.get("nkn.requestsPerSecond"),
        (int) v.get("nkn.burst"), (int) v.get("nkn.maxActiveJobsPerKey"), relays);
  }

  /** A config file with every key, its default and its documentation as comments. */
  public static String template() {
    StringBuilder b = new StringBuilder();
    b.append("// infernet-agent configuration. Every key is optional; shown values are the defaults.\n");
    b.append("// Each key can be overridden by an environment variable, named in its comment.\n{\n");
    String section = null;
    for (int i = 0; i < Keys.ALL.size(); i++) {
      Key k = Keys.ALL.get(i);
      String[] parts = k.name().split("\\.", 2);
      if (!parts[0].equals(section)) {
        if (section != null) {
          b.append("\n  },\n");
        }
        section = parts[0];
        b.append("  \"").append(section).append("\": {\n");
      } else {
        b.append(",\n");
      }
      b.append("    // ").append(k.doc()).append(" (env ").append(k.envName()).append(")\n");
      b.append("    \"").append(parts[1]).append("\": ").append(Json.write(k.dflt()));
    }
    b.append("\n  }\n}\n");
    return b.toString();
  }
}

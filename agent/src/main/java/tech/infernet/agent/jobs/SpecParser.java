package tech.infernet.agent.jobs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns spec JSON into a validated {@link JobSpec} or a {@link SpecException} with a stable code.
 *
 * <p>Shell injection: {@code args} must be a JSON array of strings and is passed to the container
 * runtime as separate argv elements after the image name; nothing is ever joined into a command
 * line or given to a host shell, so shell metacharacters inside an element are inert data. What is
 * refused: a command given as one string (ARGS_NOT_ARGV), NUL and control characters other than
 * tab and newline (FORBIDDEN_CHARACTER), image names that could be read as options or contain
 * anything outside the image-reference grammar (BAD_IMAGE_NAME), env names outside
 * {@code [A-Za-z_][A-Za-z0-9_]*} and input names that are not plain file names.
 */
public final class SpecParser {
  /** Size limits applied while parsing. */
  public record Bounds(int maxSpecBytes, int maxInputBytes, int maxArgs, int maxArgChars,
      int maxEnv, int maxInputs) {
    public static final Bounds DEFAULT = new Bounds(256 * 1024, 128 * 1024, 256, 8192, 64, 16);
  }

  private static final int MAX_DEPTH = 16;
  private static final Set<String> TOP = Set.of("kind", "image", "args", "env", "inputs", "limits",
      "network", "gpu", "priority", "inference");
  private static final Set<String> LIMIT_FIELDS = Set.of("memoryMb", "cpus", "pids", "timeoutSeconds");
  private static final Set<String> INFERENCE_FIELDS = Set.of("endpoint", "body");
  private static final Set<String> ENDPOINTS = Set.of("chat/completions", "completions", "embeddings");
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN =
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?";
  private static final Pattern IMAGE = Pattern.compile(
      "(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*"
          + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final Bounds bounds;

  public SpecParser(Bounds bounds) {
    this.bounds = bounds;
  }

  public SpecParser() {
    this(Bounds.DEFAULT);
  }

  public static void checkOwner(String owner) throws SpecException {
    if (owner == null || !OWNER.matcher(owner).matches()) {
      throw new SpecException(SpecError.BAD_OWNER, "owner", "owner must match " + OWNER.pattern());
    }
  }

  public JobSpec parse(String text) throws SpecException {
    if (text == null) {
      throw new SpecException(SpecError.MALFORMED_JSON, "", "empty body");
    }
    if (text.length() > bounds.maxSpecBytes
        || text.getBytes(StandardCharsets.UTF_8).length > bounds.maxSpecBytes) {
      throw new SpecException(SpecError.SPEC_TOO_LARGE, "",
          "spec larger than " + bounds.maxSpecBytes + " bytes");
    }
    Object tree = Json.parse(text, MAX_DEPTH);
    return fromTree(tree);
  }

  public JobSpec fromTree(Object tree) throws SpecException {
    Map<String, Object> m = object(tree, "");
    known(m, TOP, "");
    RunnerKind kind = kind(m.get("kind"));
    String image = null;
    if (kind == RunnerKind.CONTAINER) {
      image = image(m.get("image"));
    } else if (m.containsKey("image")) {
      throw new SpecException(SpecError.BAD_VALUE, "image", "image is only for container jobs");
    }
    List<String> args = args(m.get("args"));
    if (kind == RunnerKind.PROCESS && args.isEmpty()) {
      throw new SpecException(SpecError.MISSING_FIELD, "args", "process jobs need args");
    }
    Map<String, String> env = env(m.get("env"));
    Map<String, String> inputs = inputs(m.get("inputs"));
    Limits limits = limits(m.get("limits"));
    boolean network = bool(m.get("network"), "network");
    boolean gpu = bool(m.get("gpu"), "gpu");
    int priority = (int) integer(m.get("priority"), "priority", 0, 9, 0);
    String endpoint = null;
    String body = null;
    if (kind == RunnerKind.INFERENCE) {
      if (!m.containsKey("inference")) {
        throw new SpecException(SpecError.MISSING_FIELD, "inference", "inference jobs need 'inference'");
      }
      Map<String, Object> inf = object(m.get("inference"), "inference");
      known(inf, INFERENCE_FIELDS, "inference.");
      endpoint = string(inf.get("endpoint"), "inference.endpoint", true);
      if (!ENDPOINTS.contains(endpoint)) {
        throw new SpecException(SpecError.BAD_VALUE, "inference.endpoint",
            "endpoint must be one of " + ENDPOINTS);
      }
      body = Json.write(object(inf.get("body"), "inference.body"));
    } else if (m.containsKey("inference")) {
      throw new SpecException(SpecError.BAD_VALUE, "inference", "'inference' is only for inference jobs");
    }
    return new JobSpec(kind, image, args, env, inputs, limits, network, gpu, priority, endpoint, body);
  }

  /** The spec as a JSON tree that {@link #fromTree} reads back to an equal spec. */
  public static Map<String, Object> toTree(JobSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", s.kind().wireName());
    if (s.image() != null) {
      m.put("image", s.image());
    }
    m.put("args", s.args());
    m.put("env", new java.util.TreeMap<>(s.env()));
    m.put("inputs", new java.util.TreeMap<>(s.inputs()));
    Map<String, Object> l = new LinkedHashMap<>();
    Limits lim = s.limits();
    if (lim.memoryMb() > 0) {
      l.put("memoryMb", lim.memoryMb());
    }
    if (lim.cpus() > 0) {
      l.put("cpus", lim.cpus());
    }
    if (lim.pids() > 0) {
      l.put("pids", lim.pids());
    }
    if (lim.timeoutSeconds() > 0) {
      l.put("timeoutSeconds", lim.timeoutSeconds());
    }
    m.put("limits", l);
    m.put("network", s.network());
    m.put("gpu", s.gpu());
    m.put("priority", s.priority());
    if (s.inferenceEndpoint() != null) {
      Map<String, Object> inf = new LinkedHashMap<>();
      inf.put("endpoint", s.inferenceEndpoint());
      try {
        inf.put("body", Json.parse(s.inferenceBody(), MAX_DEPTH));
      } catch (SpecException e) {
        throw new IllegalStateException(e);
      }
      m.put("inference", inf);
    }
    return m;
  }

  private static RunnerKind kind(Object v) throws SpecException {
    if (v == null) {
      return RunnerKind.CONTAINER;
    }
    String s = string(v, "kind", true);
    for (RunnerKind k : RunnerKind.values()) {
      if (k.wireName().equals(s)) {
        return k;
      }
    }
    throw new SpecException(SpecError.BAD_VALUE, "kind", "kind must be container, inference or process");
  }

  private static String image(Object v) throws SpecException {
    if (v == null) {
      throw new SpecException(SpecError.MISSING_FIELD, "image", "container jobs need an image");
    }
    String s = string(v, "image", false);
    if (s.length() > 255 || !IMAGE.matcher(s).matches()) {
      throw new SpecException(SpecError.BAD_IMAGE_NAME, "image",
          "not a valid image reference (name[:tag][@sha256:digest])");
    }
    return s;
  }

  private List<String> args(Object v) throws SpecException {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw new SpecException(SpecError.ARGS_NOT_ARGV, "args",
          "args must be an array of strings (argv); it is never run through a shell");
    }
    if (l.size() > bounds.maxArgs) {
      throw new SpecException(SpecError.TOO_MANY_ITEMS, "args", "more than " + bounds.maxArgs + " args");
    }
    List<String> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      String field = "args[" + i + "]";
      if (!(l.get(i) instanceof String s)) {
        throw new SpecException(SpecError.ARGS_NOT_ARGV, field, "every arg must be a string");
      }
      if (s.length() > bounds.maxArgChars) {
        throw new SpecException(SpecError.TOO_MANY_ITEMS, field, "arg longer than " + bounds.maxArgChars);
      }
      text(s, field, true);
      out.add(s);
    }
    return out;
  }

  private Map<String, String> env(Object v) throws SpecException {
    if (v == null) {
      return Map.of();
    }
    Map<String, Object> m = object(v, "env");
    if (m.size() > bounds.maxEnv) {
      throw new SpecException(SpecError.TOO_MANY_ITEMS, "env", "more than " + bounds.maxEnv + " env entries");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String field = "env." + printable(e.getKey());
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw new SpecException(SpecError.BAD_ENV_NAME, field, "env names must match " + ENV_NAME.pattern());
      }
      String val = string(e.getValue(), field, false);
      if (val.length() > bounds.maxArgChars) {
        throw new SpecException(SpecError.TOO_MANY_ITEMS, field, "value longer than " + bounds.maxArgChars);
      }
      text(val, field, false);
      out.put(e.getKey(), val);
    }
    return out;
  }

  private Map<String, String> inputs(Object v) throws SpecException {
    if (v == null) {
      return Map.of();
    }
    Map<String, Object> m = object(v, "inputs");
    if (m.size() > bounds.maxInputs) {
      throw new SpecException(SpecError.TOO_MANY_ITEMS, "inputs", "more than " + bounds.maxInputs + " inputs");
    }
    long total = 0;
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String field = "inputs." + printable(e.getKey());
      if (!INPUT_NAME.matcher(e.getKey()).matches() || e.getKey().equals("result")) {
        throw new SpecException(SpecError.BAD_INPUT_NAME, field,
            "input names must be plain file names matching " + INPUT_NAME.pattern() + " (not 'result')");
      }
      String val = string(e.getValue(), field, false);
      total += val.getBytes(StandardCharsets.UTF_8).length;
      if (total > bounds.maxInputBytes) {
        throw new SpecException(SpecError.INPUT_TOO_LARGE, field,
            "inputs larger than " + bounds.maxInputBytes + " bytes in total");
      }
      if (val.indexOf('\0') >= 0) {
        throw new SpecException(SpecError.FORBIDDEN_CHARACTER, field, "NUL in input");
      }
      out.put(e.getKey(), val);
    }
    return out;
  }

  private static Limits limits(Object v) throws SpecException {
    if (v == null) {
      return Limits.UNSET;
    }
    Map<String, Object> m = object(v, "limits");
    known(m, LIMIT_FIELDS, "limits.");
    int mem = (int) integer(m.get("memoryMb"), "limits.memoryMb", 6, 1 << 24, 0);
    double cpus = 0;
    Object c = m.get("cpus");
    if (c != null) {
      if (!(c instanceof Number n)) {
        throw new SpecException(SpecError.WRONG_TYPE, "limits.cpus", "cpus must be a number");
      }
      cpus = n.doubleValue();
      if (!(cpus >= 0.01 && cpus <= 1024)) {
        throw new SpecException(SpecError.BAD_VALUE, "limits.cpus", "cpus must be in 0.01..1024");
      }
    }
    int pids = (int) integer(m.get("pids"), "limits.pids", 1, 1 << 22, 0);
    int timeout = (int) integer(m.get("timeoutSeconds"), "limits.timeoutSeconds", 1, 7 * 24 * 3600, 0);
    return new Limits(mem, cpus, pids, timeout);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object v, String field) throws SpecException {
    if (!(v instanceof Map)) {
      throw new SpecException(SpecError.NOT_AN_OBJECT, field,
          (field.isEmpty() ? "the spec" : field) + " must be a JSON object");
    }
    return (Map<String, Object>) v;
  }

  private static void known(Map<String, Object> m, Set<String> allowed, String prefix)
      throws SpecException {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new SpecException(SpecError.UNKNOWN_FIELD, prefix + printable(k),
            "unknown field '" + prefix + printable(k) + "'");
      }
    }
  }

  private static String string(Object v, String field, boolean required) throws SpecException {
    if (v == null && required) {
      throw new SpecException(SpecError.MISSING_FIELD, field, field + " is required");
    }
    if (!(v instanceof String s)) {
      throw new SpecException(SpecError.WRONG_TYPE, field, field + " must be a string");
    }
    return s;
  }

  private static boolean bool(Object v, String field) throws SpecException {
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw new SpecException(SpecError.WRONG_TYPE, field, field + " must be true or false");
    }
    return b;
  }

  private static long integer(Object v, String field, long min, long max, long dflt)
      throws SpecException {
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Long || v instanceof Integer)) {
      throw new SpecException(SpecError.WRONG_TYPE, field, field + " must be an integer");
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      throw new SpecException(SpecError.BAD_VALUE, field, field + " must be in " + min + ".." + max);
    }
    return n;
  }

  /** Refuses NUL, C0 controls (tab and, where allowed, newline excepted), DEL and C1 controls. */
  static void text(String s, String field, boolean allowNewline) throws SpecException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F)
          || c == '\t' || (allowNewline && c == '\n');
      if (!ok) {
        throw new SpecException(SpecError.FORBIDDEN_CHARACTER, field,
            String.format(Locale.ROOT, "forbidden character U+%04X at index %d", (int) c, i));
      }
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7F ? '?' : c);
    }
    return b.toString();
  }
}

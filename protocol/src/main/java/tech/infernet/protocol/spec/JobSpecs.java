package tech.infernet.protocol.spec;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tech.infernet.protocol.internal.Json;

/**
 * Reads and writes our job spec format (version {@value JobSpec#VERSION}). Unknown fields,
 * wrong types and out-of-range values are refused with a {@link SpecException} naming the field.
 *
 * <pre>
 * {"version":1,"kind":"container","image":"docker.io/library/alpine:3.20","command":["echo","hi"],
 *  "env":{"A":"b"},"resources":{"memoryMb":512,"cpus":1.5,"gpus":0,"vramMb":0},
 *  "timeoutSeconds":600,"network":false}
 * {"version":1,"kind":"inference","endpoint":"chat/completions",
 *  "request":{"model":"m","messages":[{"role":"user","content":"hi"}]},"timeoutSeconds":120}
 * </pre>
 */
public final class JobSpecs {
  /** Largest spec text accepted. */
  public static final int MAX_CHARS = 256 * 1024;
  static final int MAX_TIMEOUT = 7 * 24 * 3600;

  private static final Set<String> CONTAINER = Set.of("version", "kind", "image", "command", "env",
      "resources", "timeoutSeconds", "network");
  private static final Set<String> INFERENCE = Set.of("version", "kind", "endpoint", "request",
      "resources", "timeoutSeconds");
  private static final Set<String> RESOURCES = Set.of("memoryMb", "cpus", "gpus", "vramMb");
  private static final Set<String> ENDPOINTS = Set.of("chat/completions", "completions", "embeddings");

  private JobSpecs() {}

  public static JobSpec parse(String json) throws SpecException {
    return fromTree(Check.parse(json, MAX_CHARS));
  }

  /** Validates an already parsed JSON tree (as a payload decoder holds it). */
  public static JobSpec fromTree(Object tree) throws SpecException {
    Map<String, Object> m = Check.object(tree, "");
    Object v = m.get("version");
    if (v == null) {
      throw new SpecException(SpecError.MISSING_FIELD, "version", "version is required (1)");
    }
    if (!(v instanceof Long version) || version != JobSpec.VERSION) {
      throw new SpecException(SpecError.UNSUPPORTED_VERSION, "version", "spec version must be " + JobSpec.VERSION);
    }
    String kind = Check.string(m.get("kind"), "kind", true);
    if (!kind.equals("container") && !kind.equals("inference")) {
      throw new SpecException(SpecError.BAD_VALUE, "kind", "kind must be container or inference");
    }
    Check.known(m, kind.equals("container") ? CONTAINER : INFERENCE, "");
    Resources res = resources(m.get("resources"));
    int timeout = (int) Check.integer(m.get("timeoutSeconds"), "timeoutSeconds", 1, MAX_TIMEOUT);
    switch (kind) {
      case "container": {
        String image = Check.image(m.get("image"), "image");
        List<String> command = Check.argv(m.get("command"), "command");
        Map<String, String> env = Check.env(m.get("env"), "env");
        boolean network = Check.bool(m.get("network"), "network");
        return new ContainerJob(image, command, env, res, timeout, network);
      }
      case "inference": {
        String endpoint = Check.string(m.get("endpoint"), "endpoint", true);
        if (!ENDPOINTS.contains(endpoint)) {
          throw new SpecException(SpecError.BAD_VALUE, "endpoint", "endpoint must be chat/completions, completions or embeddings");
        }
        if (!m.containsKey("request")) {
          throw new SpecException(SpecError.MISSING_FIELD, "request", "request is required");
        }
        Map<String, Object> request = Check.object(m.get("request"), "request");
        openAi(endpoint, request);
        return new InferenceJob(endpoint, request, res, timeout);
      }
      default:
        throw new SpecException(SpecError.BAD_VALUE, "kind", "kind must be container or inference");
    }
  }

  /** The spec as a JSON tree that {@link #fromTree} reads back to an equal spec. */
  public static Map<String, Object> toTree(JobSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", (long) JobSpec.VERSION);
    if (spec instanceof ContainerJob c) {
      m.put("kind", "container");
      m.put("image", c.image());
      m.put("command", c.command());
      m.put("env", new TreeMap<>(c.env()));
      m.put("network", c.network());
    } else if (spec instanceof InferenceJob i) {
      m.put("kind", "inference");
      m.put("endpoint", i.endpoint());
      m.put("request", i.request());
    }
    Resources r = spec.resources();
    Map<String, Object> rm = new LinkedHashMap<>();
    if (r.memoryMb() > 0) {
      rm.put("memoryMb", (long) r.memoryMb());
    }
    if (r.cpus() > 0) {
      rm.put("cpus", r.cpus());
    }
    if (r.gpus() > 0) {
      rm.put("gpus", (long) r.gpus());
    }
    if (r.vramMb() > 0) {
      rm.put("vramMb", (long) r.vramMb());
    }
    if (!rm.isEmpty()) {
      m.put("resources", rm);
    }
    if (spec.timeoutSeconds() > 0) {
      m.put("timeoutSeconds", (long) spec.timeoutSeconds());
    }
    return m;
  }

  public static String toJson(JobSpec spec) {
    return new String(Json.write(toTree(spec)), StandardCharsets.UTF_8);
  }

  private static Resources resources(Object v) throws SpecException {
    if (v == null) {
      return Resources.DEFAULT;
    }
    Map<String, Object> m = Check.object(v, "resources");
    Check.known(m, RESOURCES, "resources.");
    int mem = (int) Check.integer(m.get("memoryMb"), "resources.memoryMb", 6, 1 << 24);
    double cpus = 0;
    Object c = m.get("cpus");
    if (c != null) {
      if (!(c instanceof Long || c instanceof Double)) {
        throw new SpecException(SpecError.WRONG_TYPE, "resources.cpus", "cpus must be a number");
      }
      cpus = ((Number) c).doubleValue();
      if (!(cpus >= 0.01 && cpus <= 1024)) {
        throw new SpecException(SpecError.BAD_VALUE, "resources.cpus", "cpus must be in 0.01..1024");
      }
    }
    int gpus = (int) Check.integer(m.get("gpus"), "resources.gpus", 0, 64);
    int vram = (int) Check.integer(m.get("vramMb"), "resources.vramMb", 0, 1 << 24);
    if (vram > 0 && gpus == 0) {
      throw new SpecException(SpecError.BAD_VALUE, "resources.vramMb", "vramMb needs gpus >= 1");
    }
    return new Resources(mem, cpus, gpus, vram);
  }

  /**
   * The minimum of an OpenAI-compatible body: what the endpoint needs, and a non-empty model when
   * one is named (without one, the agent asks the first model its backend serves).
   */
  private static void openAi(String endpoint, Map<String, Object> r) throws SpecException {
    String model = Check.string(r.get("model"), "request.model", false);
    if (model != null && model.isEmpty()) {
      throw new SpecException(SpecError.BAD_VALUE, "request.model", "model must not be empty");
    }
    Object stream = r.get("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw new SpecException(SpecError.WRONG_TYPE, "request.stream", "stream must be true or false");
    }
    switch (endpoint) {
      case "chat/completions": {
        if (!(r.get("messages") instanceof List<?> msgs) || msgs.isEmpty()) {
          throw new SpecException(r.containsKey("messages") ? SpecError.WRONG_TYPE : SpecError.MISSING_FIELD,
              "request.messages", "messages must be a non-empty array");
        }
        for (int i = 0; i < msgs.size(); i++) {
          String f = "request.messages[" + i + "]";
          Map<String, Object> msg = Check.object(msgs.get(i), f);
          Check.string(msg.get("role"), f + ".role", true);
          Object content = msg.get("content");
          if (content != null && !(content instanceof String) && !(content instanceof List)) {
            throw new SpecException(SpecError.WRONG_TYPE, f + ".content", "content must be a string or an array of parts");
          }
        }
        break;
      }
      case "completions": {
        Object p = r.get("prompt");
        if (!(p instanceof String) && !(p instanceof List)) {
          throw new SpecException(p == null ? SpecError.MISSING_FIELD : SpecError.WRONG_TYPE,
              "request.prompt", "prompt must be a string or an array");
        }
        break;
      }
      default: {
        Object in = r.get("input");
        if (!(in instanceof String) && !(in instanceof List)) {
          throw new SpecException(in == null ? SpecError.MISSING_FIELD : SpecError.WRONG_TYPE,
              "request.input", "input must be a string or an array");
        }
      }
    }
  }
}

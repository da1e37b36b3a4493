package tech.infernet.protocol.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a Nosana job definition (version "0.1", type "container", one {@code container/run}
 * operation) into a {@link ContainerJob}. Everything that has an equivalent is mapped; anything
 * that has none (volumes, remote resources, exposed ports, entrypoint, work dir, registry
 * credentials, placeholders, several operations...) is refused with {@link SpecError#NOT_MAPPABLE}
 * and the path of the field. The format is Nosana's: see docs/protocol.md for the sources used.
 *
 * <p>Mapping: {@code image}, {@code gpu} and {@code env} of the operation override those of
 * {@code global} (env key by key); a {@code cmd} array becomes the argv; a {@code cmd} string
 * becomes {@code ["/bin/sh", "-c", cmd]}, as Nosana's own node does, so the shell runs inside the
 * container and never on the host; {@code gpu: true} asks for one GPU; {@code required_vram}
 * (GB, on the operation or in {@code meta.system_resources}) becomes {@code resources.vramMb}.
 */
public final class NosanaImporter {
  /**
   * @param network whether the imported job asks for a network (Nosana containers have one)
   * @param timeoutSeconds the timeout to give the job (Nosana sets it per market, not in the definition); 0 for the agent's default
   */
  public record Options(boolean network, int timeoutSeconds) {
    public static final Options DEFAULT = new Options(true, 0);
  }

  private static final Set<String> TOP = Set.of("version", "type", "meta", "global", "ops", "logistics", "deployment_id");
  private static final Set<String> GLOBAL = Set.of("image", "gpu", "env", "entrypoint", "work_dir", "variables");
  private static final Set<String> OP = Set.of("type", "id", "args", "results", "execution");
  private static final Set<String> ARGS = Set.of("image", "cmd", "gpu", "env", "expose", "resources", "required_vram",
      "entrypoint", "work_dir", "volumes", "output", "authentication", "aliases", "private");
  private static final Map<String, String> UNMAPPABLE = Map.ofEntries(
      Map.entry("logistics", "job definition logistics (api / api-listen) have no equivalent; submit the definition itself"),
      Map.entry("entrypoint", "overriding the image's entrypoint is not supported; put the program in cmd"),
      Map.entry("work_dir", "setting the working directory is not supported"),
      Map.entry("variables", "%%global.variables%% substitution is not supported; substitute before importing"),
      Map.entry("results", "extracting results from logs by regex is not supported"),
      Map.entry("execution", "execution groups and dependencies are not supported"),
      Map.entry("volumes", "named volumes are not supported"),
      Map.entry("output", "output paths are not supported; the job's result is its stdout"),
      Map.entry("authentication", "private registry credentials are not supported"),
      Map.entry("aliases", "network aliases are not supported"),
      Map.entry("private", "private service URLs are not supported (ports are not exposed)"));
  private static final Pattern PLACEHOLDER = Pattern.compile("%%[^%]+%%");
  private static final String REMOVE_IF_EMPTY = "__remove-if-empty__";

  private NosanaImporter() {}

  public static ContainerJob importJson(String json) throws SpecException {
    return importJson(json, Options.DEFAULT);
  }

  public static ContainerJob importJson(String json, Options options) throws SpecException {
    return fromTree(Check.parse(json, JobSpecs.MAX_CHARS), options);
  }

  public static ContainerJob fromTree(Object tree, Options options) throws SpecException {
    Map<String, Object> top = Check.object(tree, "");
    Check.known(top, TOP, "");
    refuse(top, "logistics", "");
    Object version = top.get("version");
    if (version == null) {
      throw new SpecException(SpecError.MISSING_FIELD, "version", "version is required (\"0.1\")");
    }
    if (!"0.1".equals(version)) {
      throw new SpecException(SpecError.UNSUPPORTED_VERSION, "version", "only Nosana job definition version \"0.1\" is known");
    }
    if (!"container".equals(Check.string(top.get("type"), "type", true))) {
      throw new SpecException(SpecError.NOT_MAPPABLE, "type", "only type \"container\" exists in version 0.1");
    }
    int vramMb = 0;
    String vramField = null;
    if (top.get("meta") != null) {
      Map<String, Object> meta = Check.object(top.get("meta"), "meta");
      if (meta.get("system_resources") != null) {
        Map<String, Object> sys = Check.object(meta.get("system_resources"), "meta.system_resources");
        for (Map.Entry<String, Object> e : sys.entrySet()) {
          String f = "meta.system_resources." + Check.printable(e.getKey());
          if (!e.getKey().equals("required_vram")) {
            throw new SpecException(SpecError.NOT_MAPPABLE, f, "only required_vram is understood among system resources");
          }
          vramMb = vram(e.getValue(), f);
          vramField = f;
        }
      }
      // meta.trigger and other metadata do not change how the job runs.
    }

    Map<String, Object> global = top.get("global") == null ? Map.of() : Check.object(top.get("global"), "global");
    Check.known(global, GLOBAL, "global.");
    for (String k : List.of("entrypoint", "work_dir", "variables")) {
      refuse(global, k, "global.");
    }

    if (!top.containsKey("ops")) {
      throw new SpecException(SpecError.MISSING_FIELD, "ops", "ops is required");
    }
    if (!(top.get("ops") instanceof List<?> ops)) {
      throw new SpecException(SpecError.WRONG_TYPE, "ops", "ops must be an array");
    }
    if (ops.size() != 1) {
      throw new SpecException(SpecError.NOT_MAPPABLE, "ops",
          "exactly one operation maps to a job; this definition has " + ops.size());
    }
    Map<String, Object> op = Check.object(ops.get(0), "ops[0]");
    Check.known(op, OP, "ops[0].");
    String type = Check.string(op.get("type"), "ops[0].type", true);
    if (!type.equals("container/run")) {
      throw new SpecException(SpecError.NOT_MAPPABLE, "ops[0].type", "only container/run operations can be mapped, not " + Check.printable(type));
    }
    Check.string(op.get("id"), "ops[0].id", true);
    refuse(op, "results", "ops[0].");
    refuse(op, "execution", "ops[0].");
    if (!op.containsKey("args")) {
      throw new SpecException(SpecError.MISSING_FIELD, "ops[0].args", "args is required");
    }
    Map<String, Object> args = Check.object(op.get("args"), "ops[0].args");
    Check.known(args, ARGS, "ops[0].args.");
    for (String k : List.of("entrypoint", "work_dir", "volumes", "output", "authentication", "aliases", "private")) {
      refuse(args, k, "ops[0].args.");
    }
    Object expose = args.get("expose");
    if (expose != null && !(expose instanceof List<?> l && l.isEmpty())) {
      throw new SpecException(SpecError.NOT_MAPPABLE, "ops[0].args.expose",
          "exposing ports (services) is not supported: jobs run to completion behind the agent");
    }
    Object resources = args.get("resources");
    if (resources != null && !(resources instanceof List<?> l && l.isEmpty())) {
      throw new SpecException(SpecError.NOT_MAPPABLE, "ops[0].args.resources",
          "remote resources (S3, Hugging Face) are not fetched by the agent; bake them into the image");
    }

    String image;
    String imageField;
    if (args.get("image") != null) {
      imageField = "ops[0].args.image";
    } else if (global.get("image") != null) {
      imageField = "global.image";
    } else {
      throw new SpecException(SpecError.MISSING_FIELD, "ops[0].args.image", "no image in the operation nor in global");
    }
    Object imageValue = imageField.startsWith("global") ? global.get("image") : args.get("image");
    noPlaceholder(imageValue, imageField);
    image = Check.image(imageValue, imageField);

    List<String> command;
    Object cmd = args.get("cmd");
    if (cmd instanceof String s) {
      noPlaceholder(s, "ops[0].args.cmd");
      Check.text(s, "ops[0].args.cmd", true);
      command = List.of("/bin/sh", "-c", s);
    } else {
      command = Check.argv(cmd, "ops[0].args.cmd");
      for (int i = 0; i < command.size(); i++) {
        String f = "ops[0].args.cmd[" + i + "]";
        if (command.get(i).equals(REMOVE_IF_EMPTY)) {
          throw new SpecException(SpecError.NOT_MAPPABLE, f, "the __remove-if-empty__ marker is not supported");
        }
        noPlaceholder(command.get(i), f);
      }
    }

    Map<String, String> env = new LinkedHashMap<>(Check.env(global.get("env"), "global.env"));
    env.putAll(Check.env(args.get("env"), "ops[0].args.env"));
    if (env.size() > Check.MAX_ENV) {
      throw new SpecException(SpecError.TOO_MANY_ITEMS, "ops[0].args.env", "more than " + Check.MAX_ENV + " env entries with global.env");
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      noPlaceholder(e.getValue(), "env." + e.getKey());
    }

    boolean gpu = Check.bool(global.get("gpu"), "global.gpu");
    if (args.get("gpu") != null) {
      gpu = Check.bool(args.get("gpu"), "ops[0].args.gpu");
    }
    if (args.get("required_vram") != null) {
      vramMb = vram(args.get("required_vram"), "ops[0].args.required_vram");
      vramField = "ops[0].args.required_vram";
    }
    if (vramMb > 0 && !gpu) {
      throw new SpecException(SpecError.NOT_MAPPABLE, vramField, "required_vram without gpu: true");
    }
    Resources res = new Resources(0, 0, gpu ? 1 : 0, vramMb);
    return new ContainerJob(image, command, env, res, options.timeoutSeconds(), options.network());
  }

  private static void refuse(Map<String, Object> m, String key, String prefix) throws SpecException {
    if (m.containsKey(key)) {
      throw new SpecException(SpecError.NOT_MAPPABLE, prefix + key, UNMAPPABLE.get(key));
    }
  }

  private static void noPlaceholder(Object v, String field) throws SpecException {
    if (v instanceof String s && PLACEHOLDER.matcher(s).find()) {
      throw new SpecException(SpecError.NOT_MAPPABLE, field, "%%...%% placeholders are not substituted; resolve them before importing");
    }
  }

  private static int vram(Object v, String field) throws SpecException {
    if (!(v instanceof Long || v instanceof Double)) {
      throw new SpecException(SpecError.WRONG_TYPE, field, field + " must be a number of GB");
    }
    double gb = ((Number) v).doubleValue();
    if (!(gb > 0 && gb <= 16384)) {
      throw new SpecException(SpecError.BAD_VALUE, field, field + " must be in (0, 16384] GB");
    }
    return (int) Math.ceil(gb * 1024);
  }
}

package tech.infernet.protocol.message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.internal.Base64Url;
import tech.infernet.protocol.internal.Json;
import tech.infernet.protocol.spec.JobSpecs;
import tech.infernet.protocol.transfer.Manifest;
import tech.infernet.protocol.transfer.Ranges;
import tech.infernet.protocol.spec.SpecException;

/**
 * JSON encoding of {@link Payload}s (UTF-8, the plaintext sealed in an envelope). A request has
 * {@code id}, a reply {@code re}; which record a type's payload decodes to follows from that.
 * Unknown fields, wrong types and invalid values are refused with a {@link PayloadException}
 * naming the field; nothing else is thrown.
 */
public final class Payloads {
  static final int MAX_DEPTH = 32;

  private Payloads() {}

  public static byte[] encode(Payload p) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (p instanceof Payload.Request r) {
      m.put("id", r.id());
    } else if (p instanceof Payload.Reply r && r.re() != null) {
      m.put("re", r.re());
    }
    if (p instanceof JobSubmit x) {
      if (x.spec() != null) {
        m.put("spec", JobSpecs.toTree(x.spec()));
      } else {
        m.put("specSha256", x.specSha256());
      }
      if (x.waitMs() > 0) {
        m.put("waitMs", (long) x.waitMs());
      }
    } else if (p instanceof JobAccepted x) {
      m.put("jobId", x.jobId());
      m.put("state", x.state());
      if (!x.events().isEmpty()) {
        m.put("events", events(x.events()));
      }
    } else if (p instanceof JobCancel x) {
      m.put("jobId", x.jobId());
    } else if (p instanceof JobCancelled x) {
      m.put("jobId", x.jobId());
      m.put("state", x.state());
    } else if (p instanceof JobGet x) {
      m.put("jobId", x.jobId());
    } else if (p instanceof JobStatus x) {
      m.put("job", view(x.job()));
    } else if (p instanceof JobList x) {
      putIf(m, "state", x.state());
      m.put("limit", (long) x.limit());
      putIf(m, "after", x.after());
    } else if (p instanceof JobPage x) {
      List<Object> jobs = new ArrayList<>();
      x.jobs().forEach(j -> jobs.add(view(j)));
      m.put("jobs", jobs);
      putIf(m, "next", x.next());
    } else if (p instanceof JobEvent x) {
      event(m, x);
    } else if (p instanceof EventAck x) {
      m.put("jobId", x.jobId());
      m.put("seq", x.seq());
    } else if (p instanceof JobEvents x) {
      m.put("events", events(x.events()));
    } else if (p instanceof EventAcks x) {
      List<Object> acks = new ArrayList<>();
      for (EventAck a : x.acks()) {
        Map<String, Object> am = new LinkedHashMap<>();
        am.put("jobId", a.jobId());
        am.put("seq", a.seq());
        acks.add(am);
      }
      m.put("acks", acks);
    } else if (p instanceof EventCarry x) {
      m.put("owner", x.owner());
      m.put("jobId", x.jobId());
      m.put("seq", x.seq());
      m.put("status", x.status());
      m.put("envelope", Base64Url.encode(x.envelope()));
    } else if (p instanceof AgentInfo x) {
      m.put("version", x.version());
      m.put("protocols", x.protocols().stream().map(Integer::longValue).toList());
      m.put("runners", x.runners());
      m.put("cpus", (long) x.cpus());
      m.put("memoryMb", x.memoryMb());
      List<Object> gpus = new ArrayList<>();
      for (AgentInfo.Gpu g : x.gpus()) {
        Map<String, Object> gm = new LinkedHashMap<>();
        gm.put("name", g.name());
        gm.put("memoryMb", g.memoryMb());
        gpus.add(gm);
      }
      m.put("gpus", gpus);
      m.put("models", x.models());
      m.put("maxEnvelopeBytes", (long) x.maxEnvelopeBytes());
      m.put("queued", (long) x.queued());
      m.put("running", (long) x.running());
    } else if (p instanceof PairRequest x) {
      m.put("secret", x.secret());
      putIf(m, "name", x.name());
    } else if (p instanceof PairResult x) {
      m.put("role", x.role().wireName());
    } else if (p instanceof JobResultGet x) {
      m.put("jobId", x.jobId());
    } else if (p instanceof JobResult x) {
      m.put("jobId", x.jobId());
      m.put("size", x.size());
      m.put("sha256", x.sha256());
      if (x.content() != null) {
        m.put("content", Base64Url.encode(x.content()));
      } else {
        m.put("manifest", x.manifest().toTree());
      }
    } else if (p instanceof TransferOpen x) {
      m.put("op", x.op().wireName());
      putIf(m, "jobId", x.jobId());
      m.put("sha256", x.sha256());
      if (x.manifest() != null) {
        m.put("manifest", x.manifest().toTree());
      }
      if (!x.have().ranges().isEmpty()) {
        m.put("have", x.have().toTree());
      }
    } else if (p instanceof TransferReady x) {
      m.put("manifest", x.manifest().toTree());
      m.put("have", x.have().toTree());
    } else if (p instanceof TransferDone x) {
      m.put("sha256", x.sha256());
    } else if (p instanceof ErrorReply x) {
      m.put("code", x.code().wireName());
      m.put("message", x.message());
      putIf(m, "field", x.field());
      putIf(m, "detail", x.detail());
    }
    return Json.write(m);
  }

  private static List<Object> events(List<JobEvent> list) {
    List<Object> events = new ArrayList<>();
    for (JobEvent e : list) {
      Map<String, Object> em = new LinkedHashMap<>();
      event(em, e);
      events.add(em);
    }
    return events;
  }

  private static void event(Map<String, Object> m, JobEvent x) {
    m.put("jobId", x.jobId());
    m.put("seq", x.seq());
    m.put("ts", x.timestampMs());
    m.put("kind", x.kind());
    m.put("data", x.data());
  }

  /** The list of job.event payloads at key k: 1 to JobEvents.MAX of them. */
  private static List<JobEvent> eventList(Obj o, String k) throws Bad {
    List<Object> raw = o.list(k);
    if (raw.isEmpty() || raw.size() > JobEvents.MAX) {
      throw new Bad(k, "1 to " + JobEvents.MAX + " events");
    }
    List<JobEvent> events = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      events.add(event(Obj.of(raw.get(i), k + "[" + i + "]")));
    }
    return events;
  }

  private static JobEvent event(Obj o) throws Bad {
    JobEvent e = new JobEvent(o.str("jobId"), o.lng("seq"), o.lng("ts"), o.str("kind"), o.obj("data").map);
    o.done();
    return e;
  }

  /** Decodes the payload of an envelope of type {@code type}. */
  public static Payload decode(MessageType type, byte[] json) throws PayloadException {
    Object tree;
    try {
      tree = Json.parse(json, MAX_DEPTH);
    } catch (Json.JsonException e) {
      throw new PayloadException(ErrorCode.BAD_PAYLOAD, null, null, null, "payload is not JSON: " + e.getMessage());
    }
    if (!(tree instanceof Map<?, ?> raw)) {
      throw new PayloadException(ErrorCode.BAD_PAYLOAD, null, null, null, "a payload is a JSON object");
    }
    @SuppressWarnings("unchecked")
    Obj o = new Obj((Map<String, Object>) raw, "");
    String requestId = raw.get("id") instanceof String s && Ids.isId(s) ? s : null;
    try {
      Payload p = read(type, o);
      o.done();
      return p;
    } catch (Bad e) {
      throw new PayloadException(ErrorCode.BAD_PAYLOAD, e.field, null, requestId, e.getMessage());
    } catch (IllegalArgumentException | NullPointerException e) {
      String msg = String.valueOf(e.getMessage());
      int colon = msg.indexOf(": ");
      throw new PayloadException(ErrorCode.BAD_PAYLOAD, colon > 0 ? msg.substring(0, colon) : null, null,
          requestId, msg);
    } catch (SpecException e) {
      String field = e.field().isEmpty() ? "spec" : "spec." + e.field();
      throw new PayloadException(ErrorCode.INVALID_SPEC, field, e.error().wireName(), requestId,
          field + ": " + e.getMessage());
    }
  }

  private static Payload read(MessageType type, Obj o) throws Bad, SpecException {
    boolean request = o.has("id");
    if (request && o.has("re")) {
      throw new Bad("re", "a payload has id (request) or re (reply), not both");
    }
    switch (type) {
      case JOB_SUBMIT:
        if (request) {
          String bySha = o.optStr("specSha256");
          Object spec = o.take("spec", bySha == null);
          if (bySha != null && spec != null) {
            throw new Bad("specSha256", "a job.submit has spec or specSha256, not both");
          }
          Long wait = o.optLong("waitMs");
          return new JobSubmit(o.str("id"), spec == null ? null : JobSpecs.fromTree(spec), bySha,
              wait == null ? 0 : (int) bounded(wait, 0, JobSubmit.MAX_WAIT_MS, "waitMs"));
        }
        List<JobEvent> carried = o.has("events") ? eventList(o, "events") : List.of();
        return new JobAccepted(o.str("re"), o.str("jobId"), o.str("state"), carried);
      case JOB_CANCEL:
        return request ? new JobCancel(o.str("id"), o.str("jobId"))
            : new JobCancelled(o.str("re"), o.str("jobId"), o.str("state"));
      case JOB_GET:
        return request ? new JobGet(o.str("id"), o.str("jobId"))
            : new JobStatus(o.str("re"), view(o.obj("job")));
      case JOB_LIST: {
        if (request) {
          Long limit = o.optLong("limit");
          return new JobList(o.str("id"), o.optStr("state"), limit == null ? 50 : (int) bounded(limit, 1, JobList.MAX_LIMIT, "limit"),
              o.optStr("after"));
        }
        List<JobView> jobs = new ArrayList<>();
        List<Object> raw = o.list("jobs");
        if (raw.size() > JobList.MAX_LIMIT) {
          throw new Bad("jobs", "more than " + JobList.MAX_LIMIT + " jobs");
        }
        for (int i = 0; i < raw.size(); i++) {
          jobs.add(view(Obj.of(raw.get(i), "jobs[" + i + "]")));
        }
        return new JobPage(o.str("re"), jobs, o.optStr("next"));
      }
      case JOB_EVENT:
        return new JobEvent(o.str("jobId"), o.lng("seq"), o.lng("ts"), o.str("kind"), o.obj("data").map);
      case JOB_EVENTS: {
        if (o.has("events")) {
          return new JobEvents(eventList(o, "events"));
        }
        List<Object> raw = o.list("acks");
        if (raw.size() > JobEvents.MAX) {
          throw new Bad("acks", "at most " + JobEvents.MAX);
        }
        List<EventAck> acks = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
          Obj a = Obj.of(raw.get(i), "acks[" + i + "]");
          acks.add(new EventAck(a.str("jobId"), a.lng("seq")));
          a.done();
        }
        return new EventAcks(acks);
      }
      case EVENT_ACK:
        return new EventAck(o.str("jobId"), o.lng("seq"));
      case EVENT_CARRY: {
        String envelope = o.str("envelope");
        byte[] bytes = Base64Url.decode(envelope);
        if (bytes == null) {
          throw new Bad("envelope", "envelope: not canonical unpadded base64url");
        }
        return new EventCarry(o.str("owner"), o.str("jobId"), o.lng("seq"), o.str("status"), bytes);
      }
      case AGENT_INFO: {
        if (request) {
          return new AgentInfoRequest(o.str("id"));
        }
        List<Integer> protocols = new ArrayList<>();
        for (Object v : o.list("protocols")) {
          if (!(v instanceof Long n) || n < 0 || n > 255) {
            throw new Bad("protocols", "protocols must be integers 0..255");
          }
          protocols.add(n.intValue());
        }
        List<AgentInfo.Gpu> gpus = new ArrayList<>();
        List<Object> rawGpus = o.list("gpus");
        for (int i = 0; i < rawGpus.size(); i++) {
          Obj g = Obj.of(rawGpus.get(i), "gpus[" + i + "]");
          gpus.add(new AgentInfo.Gpu(g.str("name"), g.lng("memoryMb")));
          g.done();
        }
        return new AgentInfo(o.str("re"), o.str("version"), protocols, o.strings("runners"),
            (int) bounded(o.lng("cpus"), 0, 1 << 20, "cpus"), o.lng("memoryMb"), gpus, o.strings("models"),
            (int) bounded(o.lng("maxEnvelopeBytes"), 0, Integer.MAX_VALUE, "maxEnvelopeBytes"),
            (int) bounded(o.lng("queued"), 0, Integer.MAX_VALUE, "queued"),
            (int) bounded(o.lng("running"), 0, Integer.MAX_VALUE, "running"));
      }
      case PAIR_REQUEST:
        return new PairRequest(o.str("id"), o.str("secret"), o.optStr("name"));
      case PAIR_RESULT: {
        String role = o.str("role");
        return new PairResult(o.str("re"), Role.fromWire(role).orElseThrow(
            () -> new IllegalArgumentException("role: unknown role")));
      }
      case JOB_RESULT: {
        if (request) {
          return new JobResultGet(o.str("id"), o.str("jobId"));
        }
        String content = o.optStr("content");
        Object manifest = o.take("manifest", content == null);
        byte[] bytes = null;
        if (content != null) {
          bytes = Base64Url.decode(content);
          if (bytes == null) {
            throw new Bad("content", "content: not canonical unpadded base64url");
          }
        }
        return new JobResult(o.str("re"), o.str("jobId"), o.lng("size"), o.str("sha256"), bytes,
            manifest == null ? null : manifest(manifest));
      }
      case TRANSFER_OPEN: {
        if (request) {
          String op = o.str("op");
          Object manifest = o.take("manifest", false);
          Object have = o.take("have", false);
          TransferOpen.Op which = switch (op) {
            case "get" -> TransferOpen.Op.GET;
            case "put" -> TransferOpen.Op.PUT;
            default -> throw new Bad("op", "op must be get or put");
          };
          return new TransferOpen(o.str("id"), which, o.optStr("jobId"), o.str("sha256"),
              manifest == null ? null : manifest(manifest), have == null ? null : ranges("have", have));
        }
        return new TransferReady(o.str("re"), manifest(o.take("manifest", true)), ranges("have", o.take("have", true)));
      }
      case TRANSFER_DONE:
        return new TransferDone(o.str("re"), o.str("sha256"));
      case ERROR: {
        String code = o.str("code");
        return new ErrorReply(o.optStr("re"), ErrorCode.fromWire(code).orElseThrow(
            () -> new IllegalArgumentException("code: unknown error code")), o.str("message"),
            o.optStr("field"), o.optStr("detail"));
      }
      default:
        throw new Bad("", "no payload defined for " + type.wireName());
    }
  }

  private static Manifest manifest(Object tree) throws Bad {
    try {
      return Manifest.fromTree(tree);
    } catch (ProtocolException e) {
      throw new Bad("manifest", "manifest: " + e.getMessage());
    }
  }

  private static Ranges ranges(String field, Object tree) throws Bad {
    try {
      return Ranges.fromTree(tree);
    } catch (ProtocolException e) {
      throw new Bad(field, field + ": " + e.getMessage());
    }
  }

  private static Map<String, Object> view(JobView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", v.jobId());
    m.put("state", v.state());
    m.put("createdMs", v.createdMs());
    m.put("updatedMs", v.updatedMs());
    m.put("lastSeq", v.lastSeq());
    if (v.exitCode() != null) {
      m.put("exitCode", (long) v.exitCode());
    }
    putIf(m, "error", v.error());
    return m;
  }

  private static JobView view(Obj o) throws Bad {
    Long exit = o.optLong("exitCode");
    JobView v = new JobView(o.str("jobId"), o.str("state"), o.lng("createdMs"), o.lng("updatedMs"),
        o.lng("lastSeq"), exit == null ? null : (int) bounded(exit, Integer.MIN_VALUE, Integer.MAX_VALUE, o.path + "exitCode"),
        o.optStr("error"));
    o.done();
    return v;
  }

  private static long bounded(long v, long min, long max, String field) throws Bad {
    if (v < min || v > max) {
      throw new Bad(field, field + " must be in " + min + ".." + max);
    }
    return v;
  }

  private static void putIf(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  /** A payload field that is missing, of the wrong type, or unknown. */
  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;
    final String field;

    Bad(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  /** A JSON object being read; {@link #done} refuses the keys nobody asked for. */
  private static final class Obj {
    final Map<String, Object> map;
    final String path;
    final Set<String> seen = new HashSet<>();

    Obj(Map<String, Object> map, String path) {
      this.map = map;
      this.path = path;
    }

    @SuppressWarnings("unchecked")
    static Obj of(Object v, String field) throws Bad {
      if (!(v instanceof Map)) {
        throw new Bad(field, field + " must be an object");
      }
      return new Obj((Map<String, Object>) v, field + ".");
    }

    boolean has(String k) {
      return map.containsKey(k);
    }

    Object take(String k, boolean required) throws Bad {
      seen.add(k);
      Object v = map.get(k);
      if (v == null && required) {
        throw new Bad(path + k, path + k + " is required");
      }
      return v;
    }

    String str(String k) throws Bad {
      if (!(take(k, true) instanceof String s)) {
        throw new Bad(path + k, path + k + " must be a string");
      }
      return s;
    }

    String optStr(String k) throws Bad {
      Object v = take(k, false);
      if (v != null && !(v instanceof String)) {
        throw new Bad(path + k, path + k + " must be a string");
      }
      return (String) v;
    }

    long lng(String k) throws Bad {
      if (!(take(k, true) instanceof Long n)) {
        throw new Bad(path + k, path + k + " must be an integer");
      }
      return n;
    }

    Long optLong(String k) throws Bad {
      Object v = take(k, false);
      if (v != null && !(v instanceof Long)) {
        throw new Bad(path + k, path + k + " must be an integer");
      }
      return (Long) v;
    }

    Obj obj(String k) throws Bad {
      return of(take(k, true), path + k);
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String k) throws Bad {
      if (!(take(k, true) instanceof List<?> l)) {
        throw new Bad(path + k, path + k + " must be an array");
      }
      return (List<Object>) l;
    }

    List<String> strings(String k) throws Bad {
      List<String> out = new ArrayList<>();
      for (Object v : list(k)) {
        if (!(v instanceof String s)) {
          throw new Bad(path + k, path + k + " must be an array of strings");
        }
        out.add(s);
      }
      return out;
    }

    void done() throws Bad {
      for (String k : map.keySet()) {
        if (!seen.contains(k)) {
          String name = k.length() > 64 ? k.substring(0, 64) : k;
          throw new Bad(path + name, "unknown field " + path + name);
        }
      }
    }
  }
}

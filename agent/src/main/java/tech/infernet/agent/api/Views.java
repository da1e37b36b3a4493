package tech.infernet.agent.api;

import io.vertx.core.json.JsonObject;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.Json;
import tech.infernet.agent.jobs.SpecParser;
import tech.infernet.agent.store.JobEvent;

/** JSON shapes of the admin API. */
final class Views {
  private Views() {}

  static JsonObject job(Job j) {
    return new JsonObject()
        .put("id", j.id().value())
        .put("owner", j.owner())
        .put("state", j.state().name())
        .put("reason", j.reason())
        .put("exitCode", j.exitCode())
        .put("createdAt", j.createdAt())
        .put("updatedAt", j.updatedAt())
        .put("attempts", j.attempts())
        .put("spec", new JsonObject(Json.write(SpecParser.toTree(j.spec()))));
  }

  static JsonObject event(JobEvent e) {
    return new JsonObject().put("id", e.id()).put("jobId", e.jobId().value()).put("seq", e.seq())
        .put("type", e.type()).put("time", e.time()).put("payload", new JsonObject(e.payload()));
  }

  /** One Server-Sent Events frame; payloads are single-line JSON. */
  static String sse(long id, JobEvent e) {
    return "id: " + id + "\nevent: " + e.type() + "\ndata: " + event(e).encode() + "\n\n";
  }
}

package tech.infernet.agent.api;

import java.util.Map;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.engine.Metrics;
import tech.infernet.agent.jobs.JobState;

/** Prometheus text exposition format (version 0.0.4). */
final class MetricsText {
  private MetricsText() {}

  static String render(JobEngine engine, long startedAt) {
    StringBuilder b = new StringBuilder();
    Map<JobState, Long> counts = engine.store().countByState();
    b.append("# HELP infernet_jobs Jobs by state.\n# TYPE infernet_jobs gauge\n");
    for (Map.Entry<JobState, Long> e : counts.entrySet()) {
      b.append("infernet_jobs{state=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
    }
    Integer queued = engine.queued();
    Integer running = engine.running();
    b.append("# HELP infernet_queue_depth Jobs waiting for a slot.\n# TYPE infernet_queue_depth gauge\n")
        .append("infernet_queue_depth ").append(queued == null ? 0 : queued).append('\n');
    b.append("# HELP infernet_jobs_active Jobs holding a slot.\n# TYPE infernet_jobs_active gauge\n")
        .append("infernet_jobs_active ").append(running == null ? 0 : running).append('\n');
    Metrics m = engine.metrics();
    b.append("# HELP infernet_jobs_submitted_total Valid job submissions.\n# TYPE infernet_jobs_submitted_total counter\n")
        .append("infernet_jobs_submitted_total ").append(m.submitted()).append('\n');
    b.append("# HELP infernet_specs_invalid_total Submissions refused by validation.\n# TYPE infernet_specs_invalid_total counter\n")
        .append("infernet_specs_invalid_total ").append(m.invalid()).append('\n');
    b.append("# HELP infernet_runner_errors_total Runner failures.\n# TYPE infernet_runner_errors_total counter\n")
        .append("infernet_runner_errors_total ").append(m.runnerErrors()).append('\n');
    b.append("# HELP infernet_job_run_seconds Run time of jobs that ended here, by final state.\n")
        .append("# TYPE infernet_job_run_seconds summary\n");
    for (JobState s : JobState.values()) {
      if (s.isTerminal() && s != JobState.REJECTED) {
        b.append("infernet_job_run_seconds_sum{state=\"").append(s).append("\"} ").append(m.durationSum(s)).append('\n');
        b.append("infernet_job_run_seconds_count{state=\"").append(s).append("\"} ").append(m.durationCount(s)).append('\n');
      }
    }
    b.append("# HELP infernet_uptime_seconds Seconds since the agent started.\n# TYPE infernet_uptime_seconds gauge\n")
        .append("infernet_uptime_seconds ").append((System.currentTimeMillis() - startedAt) / 1000).append('\n');
    return b.toString();
  }
}

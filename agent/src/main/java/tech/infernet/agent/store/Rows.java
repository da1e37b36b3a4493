package tech.infernet.agent.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobSpec;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.Json;
import tech.infernet.agent.jobs.SpecException;
import tech.infernet.agent.jobs.SpecParser;

/** Row mapping between SQL and records. */
final class Rows {
  static final String JOB_COLUMNS =
      "id, owner, spec, state, reason, exit_code, created_at, updated_at, attempts";
  static final String EVENT_COLUMNS = "id, job_id, seq, type, payload, time";
  private static final SpecParser PARSER = new SpecParser();
  /**
   * Parsed specs by their stored JSON text. A stored spec never changes, and a spec's text maps to
   * one spec, so reading a job back needs no JSON parse and no validation when its spec is here.
   */
  private static final int SPEC_CACHE = 4096;
  private static final Map<String, JobSpec> SPECS = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JobSpec> e) {
      return size() > SPEC_CACHE;
    }
  };

  private Rows() {}

  static Job job(ResultSet rs) throws SQLException {
    int exit = rs.getInt(6);
    Integer exitCode = rs.wasNull() ? null : exit;
    return new Job(new JobId(rs.getString(1)), rs.getString(2), spec(rs.getString(3)),
        JobState.valueOf(rs.getString(4)), rs.getString(5), exitCode, rs.getLong(7), rs.getLong(8),
        rs.getInt(9));
  }

  static JobEvent event(ResultSet rs) throws SQLException {
    return new JobEvent(rs.getLong(1), new JobId(rs.getString(2)), rs.getLong(3), rs.getString(4),
        rs.getString(5), rs.getLong(6));
  }

  static String specJson(JobSpec spec) {
    return Json.write(SpecParser.toTree(spec));
  }

  static void remember(String json, JobSpec spec) {
    synchronized (SPECS) {
      SPECS.put(json, spec);
    }
  }

  private static JobSpec spec(String json) {
    synchronized (SPECS) {
      JobSpec s = SPECS.get(json);
      if (s != null) {
        return s;
      }
    }
    try {
      JobSpec s = PARSER.fromTree(Json.parse(json, 32));
      remember(json, s);
      return s;
    } catch (SpecException e) {
      throw new StoreException("stored spec no longer parses: " + e.getMessage(), e);
    }
  }
}

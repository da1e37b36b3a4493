package tech.infernet.mobile.mqtt;

import tech.infernet.mobile.events.EventLog;

/**
 * The topic space: a phone's job events are published on {@code u/{keyId}/jobs/{jobId}}; a phone
 * may subscribe to {@code u/{keyId}/jobs/#}, {@code u/{keyId}/jobs/+} or one job's topic, of its
 * own key only.
 */
final class Topics {
  private Topics() {}

  static String jobTopic(String keyId, String jobId) {
    return "u/" + keyId + "/jobs/" + jobId;
  }

  /** True when {@code filter} is one a phone with {@code keyId} may subscribe to. */
  static boolean allowed(String keyId, String filter) {
    String prefix = "u/" + keyId + "/jobs/";
    if (filter == null || !filter.startsWith(prefix)) {
      return false;
    }
    String rest = filter.substring(prefix.length());
    return rest.equals("#") || rest.equals("+") || EventLog.validJobId(rest);
  }

  /** Whether an allowed {@code filter} matches {@code jobId}'s topic (same key assumed). */
  static boolean matches(String filter, String keyId, String jobId) {
    String rest = filter.substring(("u/" + keyId + "/jobs/").length());
    return rest.equals("#") || rest.equals("+") || rest.equals(jobId);
  }
}

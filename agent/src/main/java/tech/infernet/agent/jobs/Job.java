package tech.infernet.agent.jobs;

/**
 * A job as stored: identity, owner (public key), validated spec, current state.
 *
 * @param reason why the job is in its state (rejection code and text, failure cause), or null
 * @param exitCode the container's or process's exit code once known, else null
 * @param attempts how many times the job was started (0 or 1: a job never runs twice)
 */
public record Job(
    JobId id,
    String owner,
    JobSpec spec,
    JobState state,
    String reason,
    Integer exitCode,
    long createdAt,
    long updatedAt,
    int attempts) {}

package tech.infernet.agent.store;

import tech.infernet.agent.jobs.JobId;

/**
 * One appended job event. {@code seq} counts from 1 per job with no gaps; {@code id} is a global,
 * increasing id across all jobs (used as the SSE event id of the all-jobs stream).
 */
public record JobEvent(long id, JobId jobId, long seq, String type, String payload, long time) {}

package tech.infernet.agent.jobs;

/** Stable codes for jobs refused at admission (the job is stored as REJECTED with the code). */
public enum RejectReason {
  MEMORY_ABOVE_MAX, CPUS_ABOVE_MAX, PIDS_ABOVE_MAX, TIMEOUT_ABOVE_MAX,
  IMAGE_NOT_ALLOWED, NETWORK_NOT_ALLOWED, GPU_UNAVAILABLE, RUNNER_DISABLED, QUEUE_FULL,
  COMMAND_NOT_ALLOWED
}

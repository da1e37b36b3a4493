package tech.infernet.agent.jobs;

/** Outcome of {@link AdmissionPolicy#admit}: the spec with every limit resolved, or a refusal. */
public sealed interface Admission {
  record Accepted(JobSpec spec) implements Admission {}

  record Rejected(RejectReason code, String reason) implements Admission {}
}

package tech.infernet.protocol.spec;

/**
 * A job as submitted, version {@value #VERSION} of our spec format. Built by {@link JobSpecs}
 * (which validates every field) or by {@link NosanaImporter}.
 */
public sealed interface JobSpec permits ContainerJob, InferenceJob {
  int VERSION = 1;

  Resources resources();

  /** Seconds before the agent stops the job; zero for the agent's default. */
  int timeoutSeconds();
}

package tech.infernet.agent.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import tech.infernet.agent.jobs.AdmissionPolicy;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.Limits;
import tech.infernet.agent.jobs.RunnerKind;
import tech.infernet.agent.jobs.SpecParser;
import tech.infernet.agent.runner.ContainerConfig;
import tech.infernet.agent.runner.ContainerRunner;
import tech.infernet.agent.runner.Runner;
import tech.infernet.agent.store.Store;

/** Builds a store and an engine over a temp dir for tests. */
final class Fixtures {
  private Fixtures() {}

  static AdmissionPolicy policy() {
    return new AdmissionPolicy(new Limits(512, 2, 256, 120), new Limits(64, 1, 64, 30),
        List.of("localhost/*"), false, false, EnumSet.of(RunnerKind.CONTAINER));
  }

  static EngineConfig config(Path dir, int maxConcurrent) {
    return new EngineConfig(maxConcurrent, 0, 1, 10_000, dir.resolve("work"), dir.resolve("results"),
        1024, 1 << 20, 64 * 1024);
  }

  static JobEngine engine(Store store, Path dir, int maxConcurrent, Runner runner) {
    return new JobEngine(store, policy(), new SpecParser(), Map.of(RunnerKind.CONTAINER, runner),
        config(dir, maxConcurrent));
  }

  /** An engine with the given runners, each enabled in the policy. */
  static JobEngine engine(Store store, Path dir, int maxConcurrent, Map<RunnerKind, Runner> runners,
      List<String> allowedCommands) {
    AdmissionPolicy p = policy();
    AdmissionPolicy withRunners = new AdmissionPolicy(p.max(), p.defaults(), p.allowedImages(),
        p.allowNetwork(), p.gpuAvailable(), runners.keySet(), allowedCommands);
    return new JobEngine(store, withRunners, new SpecParser(), runners, config(dir, maxConcurrent));
  }

  static JobEngine containerEngine(Store store, Path dir, int maxConcurrent) {
    return engine(store, dir, maxConcurrent, new ContainerRunner(ContainerConfig.podmanDefaults(tech.infernet.agent.runner.TestImage.INSTANCE)));
  }

  static Job awaitTerminal(Store store, JobId id, Duration max) throws InterruptedException {
    Instant end = Instant.now().plus(max);
    while (Instant.now().isBefore(end)) {
      Job j = store.job(id).orElseThrow();
      if (j.state().isTerminal()) {
        return j;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " did not end within " + max + ": "
        + store.job(id).orElseThrow().state());
  }
}

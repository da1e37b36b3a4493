package tech.infernet.agent.engine;

import java.nio.file.Path;
import tech.infernet.agent.store.Store;

/** Benchmark access to the package-private fixtures: an engine with the Podman runner, one slot. */
public final class ContainerBench {
  private ContainerBench() {}

  public static JobEngine engine(Store store, Path dir) {
    return Fixtures.containerEngine(store, dir, 1);
  }
}

package tech.infernet.nkn.devnet;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link NknDevnet}: {@code @ExtendWith(NknDevnetExtension.class)}, then an
 * {@code NknDevnet} parameter on a test, lifecycle method or constructor.
 *
 * <p>One devnet serves the whole test run (JVM): it lives in the root context's store and stops
 * when the run ends. It is separate from a developer's demo devnet: its own folder
 * ({@code .cache/devnet-test}) and ports (32001-32006, the demo uses 30001-30006). Each run starts
 * from fresh chain state, so runs do not depend on one another; the cost is nothing measurable,
 * because a restarted node waits for its next block as long as a new one waits for its first
 * (see docs/devnet.md). The chain and logs stay after the run for post-mortems.
 */
public final class NknDevnetExtension implements BeforeAllCallback, ParameterResolver {
  static final String TEST_DEVNET_DIR = ".cache/devnet-test";
  static final int TEST_PORT_BASE = 32001;

  private static final Namespace NAMESPACE = Namespace.create(NknDevnetExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    devnet(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == NknDevnet.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return devnet(context);
  }

  private static NknDevnet devnet(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(RunningDevnet.class, key -> RunningDevnet.launch(), RunningDevnet.class)
        .devnet();
  }

  /** Stops the devnet when JUnit closes the root store at the end of the run. */
  private record RunningDevnet(NknDevnet devnet) implements ExtensionContext.Store.CloseableResource {
    static RunningDevnet launch() {
      Path repo = RepoRoot.find();
      // -Dinfernet.devnet.portBase lets a second checkout run its tests beside this one.
      int portBase = Integer.getInteger("infernet.devnet.portBase", TEST_PORT_BASE);
      NknDevnet devnet = new NknDevnet(new DevnetScript(repo, repo.resolve(TEST_DEVNET_DIR), portBase));
      devnet.clean();
      devnet.start();
      return new RunningDevnet(devnet);
    }

    @Override
    public void close() {
      devnet.stop();
    }
  }
}

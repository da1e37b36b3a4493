package tech.infernet.protocol.spec;

import java.util.List;
import java.util.Map;

/**
 * Run {@code image} with {@code command} as its argv (replacing the image's CMD; its ENTRYPOINT,
 * if any, stays). The command is a list handed to the container runtime element by element,
 * never joined into a shell string on the host.
 *
 * @param network whether the job asks for a network (the agent's policy decides)
 */
public record ContainerJob(String image, List<String> command, Map<String, String> env,
    Resources resources, int timeoutSeconds, boolean network) implements JobSpec {
  public ContainerJob {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }
}

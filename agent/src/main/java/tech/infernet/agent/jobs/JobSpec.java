package tech.infernet.agent.jobs;

import java.util.List;
import java.util.Map;

/**
 * What a job asks for. Built only by {@link SpecParser}, which validates every field; {@code args}
 * is an argv array handed to the runtime as separate arguments, never through a shell.
 *
 * @param inputs inline input files (name -> UTF-8 text) placed in the job's work dir
 * @param inferenceEndpoint for inference jobs: chat/completions, completions or embeddings
 * @param inferenceBody for inference jobs: the OpenAI-style request body as JSON text
 */
public record JobSpec(
    RunnerKind kind,
    String image,
    List<String> args,
    Map<String, String> env,
    Map<String, String> inputs,
    Limits limits,
    boolean network,
    boolean gpu,
    int priority,
    String inferenceEndpoint,
    String inferenceBody) {

  public JobSpec {
    args = List.copyOf(args);
    env = Map.copyOf(env);
    inputs = Map.copyOf(inputs);
  }

  public JobSpec withLimits(Limits l) {
    return new JobSpec(kind, image, args, env, inputs, l, network, gpu, priority,
        inferenceEndpoint, inferenceBody);
  }
}

package tech.infernet.agent.config;

import java.util.List;
import java.util.Set;

/** Every configuration key, documented; the generated config file is written from this table. */
final class Keys {
  static final List<Key> ALL = List.of(
      new Key("api.host", "Address the local admin API binds to. Keep it on loopback.", "127.0.0.1", 0, 0, null),
      new Key("api.port", "Port of the local admin API.", 7390, 1, 65535, null),
      new Key("runner.engine", "Container engine: auto (podman if it answers, else docker), podman or docker.",
          "auto", 0, 0, Set.of("auto", "podman", "docker")),
      new Key("runner.runtime", "OCI runtime asked for (runc works on cgroup v1/v2 hybrid hosts); empty for the engine's default.",
          "runc", 0, 0, null),
      new Key("runner.gpuMode", "GPU access: none, cdi (Podman --device nvidia.com/gpu=N), docker (--gpus) or jetson (--runtime nvidia).",
          "none", 0, 0, Set.of("none", "cdi", "docker", "jetson")),
      new Key("runner.ulimits", "Container ulimits; must stay below the host's hard limits.",
          List.of("nofile=1024:1024", "nproc=4096:4096"), 0, 0, null),
      new Key("runner.pullPolicy", "When to pull images: missing, always or never.", "missing", 0, 0,
          Set.of("missing", "always", "never")),
      new Key("runner.tmpfsMb", "Size of each container's writable /tmp (MB).", 64, 1, 65536, null),
      new Key("scheduler.maxConcurrent", "Jobs preparing or running at once.", 2, 1, 1024, null),
      new Key("scheduler.gpuCount", "GPUs offered to jobs (0 = none).", 0, 0, 64, null),
      new Key("scheduler.maxPerGpu", "GPU jobs at once per GPU.", 1, 1, 64, null),
      new Key("scheduler.maxQueued", "Queued jobs before new ones are rejected (QUEUE_FULL).", 10000, 1, 10_000_000, null),
      new Key("limits.maxMemoryMb", "Largest memory a job may ask for (MB); more is REJECTED at admission.", 8192, 6, 1 << 24, null),
      new Key("limits.maxCpus", "Most CPUs a job may ask for.", 4.0, 0.01, 1024, null),
      new Key("limits.maxPids", "Most processes a job may ask for.", 4096, 1, 1 << 22, null),
      new Key("limits.maxTimeoutSeconds", "Longest run time a job may ask for (s).", 3600, 1, 7 * 86400, null),
      new Key("limits.defaultMemoryMb", "Memory of a job that does not say (MB).", 512, 6, 1 << 24, null),
      new Key("limits.defaultCpus", "CPUs of a job that does not say.", 1.0, 0.01, 1024, null),
      new Key("limits.defaultPids", "Process limit of a job that does not say.", 256, 1, 1 << 22, null),
      new Key("limits.defaultTimeoutSeconds", "Run time of a job that does not say (s).", 600, 1, 7 * 86400, null),
      new Key("policy.allowedImages", "Images jobs may use (glob patterns, * matches anything).",
          List.of("localhost/*", "docker.io/library/*"), 0, 0, null),
      new Key("policy.allowNetwork", "Whether jobs may ask for a network (otherwise --network none).", false, 0, 0, null),
      new Key("results.inlineMaxBytes", "Results up to this size are kept in the database; larger ones as files.", 65536, 0, 1 << 30, null),
      new Key("results.maxBytes", "Largest result kept; a larger one fails the job.", 104857600, 0, Integer.MAX_VALUE, null),
      new Key("logs.maxBytesPerJob", "Log and token output kept per job; the rest is dropped with one log_truncated event.", 1048576, 1024, Integer.MAX_VALUE, null),
      new Key("inference.url", "OpenAI-compatible API root of a local inference server, e.g. http://127.0.0.1:8080/v1 (llama.cpp), http://127.0.0.1:11434/v1 (ollama), http://127.0.0.1:8000/v1 (vLLM); empty turns the inference runner off.",
          "", 0, 0, null),
      new Key("inference.apiKey", "Bearer token sent to the inference server, if it wants one (prefer the env variable).", "", 0, 0, null),
      new Key("inference.maxResponseBytes", "Largest response read from the inference server; a larger one fails the job.", 16777216, 1024, Integer.MAX_VALUE, null),
      new Key("inference.tokenFlushMillis", "Streamed tokens are gathered for at most this long into one token event (ms).", 50, 0, 10_000, null),
      new Key("nkn.enabled", "Serve jobs over NKN (reachable from anywhere, no port forwarding). Only keys in the permission list (acl) are admitted.", true, 0, 0, null),
      new Key("nkn.seedRpc", "JSON-RPC addresses of NKN nodes to join through. The default is the local devnet of scripts/devnet.sh; for the public network use NKN's seed nodes.",
          List.of("http://127.0.0.1:30003"), 0, 0, null),
      new Key("nkn.identifier", "Identifier part of the agent's NKN address (identifier.publicKey).", "agent", 0, 0, null),
      new Key("nkn.requestsPerSecond", "Sustained requests a second allowed per key.", 5.0, 0.01, 100000, null),
      new Key("nkn.burst", "Requests per key allowed at once above the sustained rate.", 20, 1, 100000, null),
      new Key("nkn.maxActiveJobsPerKey", "Jobs one key may have queued or running at once.", 8, 1, 100000, null),
      new Key("nkn.relays", "NKN addresses of the relays that carry phones' envelopes to this agent (`infernet-relay address` prints one). Each gets the carrier role unless its key already has a role; events of jobs whose owners came through a relay go back through it.",
          List.of(), 0, 0, null),
      new Key("process.enabled", "Run plain host processes (kind process). Off by default: they run as the agent's user, without container isolation.", false, 0, 0, null),
      new Key("process.allowedCommands", "Executables (absolute paths) that process jobs may run as args[0]; \"*\" allows any.", List.of(), 0, 0, null));

  private Keys() {}
}

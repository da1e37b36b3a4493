package tech.infernet.agent.jobs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What this agent accepts: maxima and defaults for limits, an image allow-list (glob patterns
 * where {@code *} matches any run of characters), whether jobs may have a network, GPUs, which
 * runners are enabled, and which executables process jobs may run ({@code *}: any).
 */
public record AdmissionPolicy(
    Limits max,
    Limits defaults,
    List<String> allowedImages,
    boolean allowNetwork,
    boolean gpuAvailable,
    Set<RunnerKind> enabledRunners,
    List<String> allowedCommands) {

  /** Compiled allow-list globs (the configured list is small and fixed). */
  private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();

  public AdmissionPolicy {
    allowedImages = List.copyOf(allowedImages);
    enabledRunners = Set.copyOf(enabledRunners);
    allowedCommands = List.copyOf(allowedCommands);
  }

  /** A policy without process jobs' command allow-list (no command is allowed). */
  public AdmissionPolicy(Limits max, Limits defaults, List<String> allowedImages,
      boolean allowNetwork, boolean gpuAvailable, Set<RunnerKind> enabledRunners) {
    this(max, defaults, allowedImages, allowNetwork, gpuAvailable, enabledRunners, List.of());
  }

  public Admission admit(JobSpec spec) {
    if (!enabledRunners.contains(spec.kind())) {
      return new Admission.Rejected(RejectReason.RUNNER_DISABLED,
          "the " + spec.kind().wireName() + " runner is not enabled on this agent");
    }
    Limits l = spec.limits().withDefaults(defaults);
    if (l.memoryMb() > max.memoryMb()) {
      return new Admission.Rejected(RejectReason.MEMORY_ABOVE_MAX,
          "memory " + l.memoryMb() + " MB is above this agent's maximum of " + max.memoryMb() + " MB");
    }
    if (l.cpus() > max.cpus()) {
      return new Admission.Rejected(RejectReason.CPUS_ABOVE_MAX,
          "cpus " + l.cpus() + " is above this agent's maximum of " + max.cpus());
    }
    if (l.pids() > max.pids()) {
      return new Admission.Rejected(RejectReason.PIDS_ABOVE_MAX,
          "pids " + l.pids() + " is above this agent's maximum of " + max.pids());
    }
    if (l.timeoutSeconds() > max.timeoutSeconds()) {
      return new Admission.Rejected(RejectReason.TIMEOUT_ABOVE_MAX,
          "timeout " + l.timeoutSeconds() + " s is above this agent's maximum of "
              + max.timeoutSeconds() + " s");
    }
    if (spec.kind() == RunnerKind.CONTAINER && !imageAllowed(spec.image())) {
      return new Admission.Rejected(RejectReason.IMAGE_NOT_ALLOWED,
          "image " + spec.image() + " is not on this agent's allow-list");
    }
    if (spec.kind() == RunnerKind.PROCESS && !allowedCommands.contains("*")
        && !allowedCommands.contains(spec.args().get(0))) {
      return new Admission.Rejected(RejectReason.COMMAND_NOT_ALLOWED,
          "command " + spec.args().get(0) + " is not on this agent's process allow-list");
    }
    if (spec.network() && !allowNetwork) {
      return new Admission.Rejected(RejectReason.NETWORK_NOT_ALLOWED,
          "this agent runs jobs without a network");
    }
    if (spec.gpu() && !gpuAvailable) {
      return new Admission.Rejected(RejectReason.GPU_UNAVAILABLE, "this agent has no GPU to offer");
    }
    return new Admission.Accepted(spec.withLimits(l));
  }

  boolean imageAllowed(String image) {
    for (String glob : allowedImages) {
      if (GLOBS.computeIfAbsent(glob, AdmissionPolicy::globToRegex).matcher(image).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern globToRegex(String glob) {
    String[] parts = glob.split("\\*", -1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        b.append(".*");
      }
      if (!parts[i].isEmpty()) {
        b.append(Pattern.quote(parts[i]));
      }
    }
    return Pattern.compile(b.toString());
  }
}

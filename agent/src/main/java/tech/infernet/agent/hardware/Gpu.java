package tech.infernet.agent.hardware;

/**
 * One NVIDIA GPU as found by a probe. Fields a source cannot tell are null. On a Jetson the GPU
 * has no memory of its own: {@code memorySharedWithCpu} is true and the memory figures are the
 * system RAM's.
 */
public record Gpu(int index, String name, String uuid, Long memoryTotalMiB, Long memoryFreeMiB,
                  String computeCapability, Integer multiprocessors, String driverVersion,
                  String cudaVersion, boolean memorySharedWithCpu) {}

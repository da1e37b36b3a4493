package tech.infernet.agent.engine;

import java.nio.file.Path;

/**
 * @param maxConcurrent jobs in PREPARING or RUNNING at once
 * @param gpuCount GPUs offered to jobs
 * @param maxPerGpu GPU jobs at once on one GPU
 * @param maxQueued queued jobs before new ones are rejected with QUEUE_FULL
 * @param workRoot where per-job work dirs are created
 * @param resultsDir where large results are kept as files
 * @param inlineResultMax results up to this size are stored in the database
 * @param resultMax larger results fail the job
 * @param logBytesPerJob log output kept per job; the rest is dropped with one log_truncated event
 */
public record EngineConfig(int maxConcurrent, int gpuCount, int maxPerGpu, int maxQueued,
    Path workRoot, Path resultsDir, long inlineResultMax, long resultMax, long logBytesPerJob) {}

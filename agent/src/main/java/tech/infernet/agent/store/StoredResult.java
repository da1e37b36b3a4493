package tech.infernet.agent.store;

/** A job's result: inline bytes when small, else the path of a file; always its SHA-256 and size. */
public record StoredResult(String jobId, byte[] inline, String path, String sha256, long size) {}

package tech.infernet.client;

import java.nio.file.Path;

/**
 * A job's result, fetched and verified.
 *
 * @param path where it is
 * @param chunksFetched chunks that came over a session this time (0 when the result came inline
 *     or every chunk was already there from an interrupted fetch)
 */
public record ResultFile(Path path, long size, String sha256, int chunksFetched) {}

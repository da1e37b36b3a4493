package tech.infernet.agent.store;

/** An event waiting for delivery to a job's owner (drained by the NKN transport). */
public record OutboxEntry(long id, String recipient, JobEvent event, int attempts) {}

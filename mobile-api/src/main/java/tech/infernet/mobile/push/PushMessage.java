package tech.infernet.mobile.push;

/**
 * What a push carries, and nothing more: which job, its clear status and the event id the app
 * fetches (and dedupes on). No job content ever goes to the push provider.
 */
public record PushMessage(String jobId, String status, long eventId, boolean terminal) {}

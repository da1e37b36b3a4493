package tech.infernet.mobile.auth;

/**
 * A login challenge as the relay hands it out: the opaque {@code value} the phone signs (with the
 * relay id and its own key, see {@link Challenges#signedBytes}) and echoes back, and when it
 * stops being accepted.
 */
public record Challenge(String value, String relayId, long expiresAtMs) {}

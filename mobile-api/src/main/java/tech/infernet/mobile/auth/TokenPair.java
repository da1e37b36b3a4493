package tech.infernet.mobile.auth;

/** What a login or refresh returns. */
public record TokenPair(String keyId, String accessToken, long accessExpiresAtMs, String refreshToken,
    long refreshExpiresAtMs, String sessionId) {}

package tech.infernet.nkn;

/** The answer to a message sent with {@link NknClient#request}. */
public record NknReply(String source, byte[] data) {}

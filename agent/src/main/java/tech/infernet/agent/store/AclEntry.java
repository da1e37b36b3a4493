package tech.infernet.agent.store;

/** A public key and the role it holds on this agent. */
public record AclEntry(String publicKey, String role, long addedAt) {}

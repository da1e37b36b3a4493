package tech.infernet.agent.transport;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import tech.infernet.agent.store.AclEntry;
import tech.infernet.agent.store.Store;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.message.Role;

/**
 * Who may do what: the role each public key holds (the agent's permission list), per-key rate
 * limits, and the rule that a forwarded envelope is accepted only from a carrier.
 */
final class Access {
  /**
   * A removal from the permission list (CLI, admin API) is seen within this time; a key not found
   * reloads the list at once (cheap: a small table, and each source key is rate-limited first).
   */
  private static final long ACL_REFRESH_NANOS = 2_000_000_000L;
  private final Store store;
  private final TokenBuckets rates;
  private volatile Map<String, Role> roles = Map.of();
  private volatile long loadedAt = Long.MIN_VALUE / 2;

  Access(Store store, TokenBuckets rates) {
    this.store = store;
    this.rates = rates;
  }

  Optional<Role> role(String publicKeyHex) {
    long age = System.nanoTime() - loadedAt;
    if (age > ACL_REFRESH_NANOS || !roles.containsKey(publicKeyHex)) {
      reload();
    }
    return Optional.ofNullable(roles.get(publicKeyHex));
  }

  /** Adds or changes a key's role, durably, and sees it at once. */
  void grant(String publicKeyHex, Role role) {
    store.aclPut(publicKeyHex, role.wireName()).join();
    reload();
  }

  /** A forwarded envelope must come through a key that holds the carrier role. */
  void checkCarrier(String carrierKeyHex) throws RequestException {
    if (role(carrierKeyHex).orElse(null) != Role.CARRIER) {
      throw new RequestException(ErrorCode.UNAUTHORIZED, "the envelope was forwarded by a key that is not a carrier here");
    }
  }

  void checkRate(String publicKeyHex) throws RequestException {
    if (!rates.tryTake(publicKeyHex)) {
      throw new RequestException(ErrorCode.RATE_LIMITED, "too many requests from this key; slow down");
    }
  }

  /**
   * Acknowledgements of events an answer carried draw on a bucket of their own (same rate), so a
   * client's waiting submits do not spend its request budget twice.
   */
  void checkAckRate(String publicKeyHex) throws RequestException {
    if (!rates.tryTake("ack/" + publicKeyHex)) {
      throw new RequestException(ErrorCode.RATE_LIMITED, "too many acknowledgements from this key; slow down");
    }
  }

  private void reload() {
    Map<String, Role> fresh = new ConcurrentHashMap<>();
    for (AclEntry entry : store.acl()) {
      Role.fromWire(entry.role()).ifPresent(role -> fresh.put(entry.publicKey(), role));
    }
    roles = fresh.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    loadedAt = System.nanoTime();
  }
}

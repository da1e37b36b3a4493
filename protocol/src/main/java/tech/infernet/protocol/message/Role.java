package tech.infernet.protocol.message;

import java.util.Optional;

/** What a paired key may do on an agent. Wire names are stable. */
public enum Role {
  /** Everything, administration included. */
  OWNER("owner"),
  /** Submit jobs; see and cancel its own. */
  SUBMITTER("submitter"),
  /** Status only. */
  VIEWER("viewer"),
  /** May forward envelopes of other keys (a relay). */
  CARRIER("carrier");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Role> fromWire(String s) {
    for (Role r : values()) {
      if (r.wireName.equals(s)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}

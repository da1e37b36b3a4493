package tech.infernet.mobile.agents;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.mobile.store.Database;

/**
 * Which agents each phone works with through this relay, and whether each agent is reachable.
 * A phone links an agent by its NKN address (from the agent's pairing link) before it pairs or
 * submits; the relay carries the phone's envelopes only to linked agents and accepts an agent's
 * events for a phone only when the phone linked that agent. Reachability is what the relay last
 * saw: an answer or event from the agent (online), or a probe that went unanswered (offline).
 */
public final class AgentLinks {
  /** {@code [identifier.]publicKeyHex}, as the agent's pairing link gives it. */
  private static final Pattern ADDRESS = Pattern.compile("(?:[A-Za-z0-9_-]{1,64}\\.)?([0-9a-f]{64})");

  /**
   * One linked agent as the phone sees it.
   *
   * @param online whether the relay's last contact with the agent succeeded (false before any)
   * @param lastSeenMs when the agent last answered or sent an event (0: never)
   */
  public record AgentLink(String agentKeyId, String address, long linkedMs, boolean online, long lastSeenMs) {}

  private final Database db;
  private final Clock clock;
  private final int maxPerKey;

  private AgentLinks(Database db, Clock clock, int maxPerKey) {
    this.db = db;
    this.clock = clock;
    this.maxPerKey = maxPerKey;
  }

  public static AgentLinks open(Database db, Clock clock, int maxPerKey) {
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS agent_links (key_id TEXT NOT NULL, agent_key TEXT NOT NULL, "
            + "address TEXT NOT NULL, linked INTEGER NOT NULL, PRIMARY KEY (key_id, agent_key))");
        s.execute("CREATE INDEX IF NOT EXISTS agent_links_agent ON agent_links (agent_key)");
        s.execute("CREATE TABLE IF NOT EXISTS agent_presence (agent_key TEXT PRIMARY KEY, online INTEGER NOT NULL, "
            + "last_seen INTEGER NOT NULL, checked INTEGER NOT NULL)");
      }
      return null;
    }).join();
    return new AgentLinks(db, clock, maxPerKey);
  }

  /**
   * The agent key id that {@code address} names, or empty when it is not an agent's NKN address.
   */
  public static Optional<String> agentKeyIdOf(String address) {
    Matcher m = address == null ? null : ADDRESS.matcher(address);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    byte[] pk = HexFormat.of().parseHex(m.group(1));
    String keyId = KeyIds.of(pk);
    return KeyIds.parse(keyId) == null ? Optional.empty() : Optional.of(keyId);
  }

  /**
   * Links the agent at {@code address} to the phone {@code keyId} (again: updates the address).
   * Fails with {@link IllegalArgumentException} for an address that is not an agent's, or when the
   * phone already has {@code maxPerKey} agents.
   */
  public CompletableFuture<AgentLink> link(String keyId, String address) {
    Optional<String> agent = agentKeyIdOf(address);
    if (agent.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "address: an agent's NKN address, [identifier.]<64 lower-case hex digits of a valid Ed25519 key>"));
    }
    String agentKeyId = agent.get();
    return db.write(c -> {
      long now = clock.millis();
      if (count(c, keyId) >= maxPerKey && lookup(c, keyId, agentKeyId).isEmpty()) {
        throw new IllegalArgumentException("address: this key already has " + maxPerKey + " agents; unlink one first");
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO agent_links VALUES (?, ?, ?, ?) "
          + "ON CONFLICT(key_id, agent_key) DO UPDATE SET address = excluded.address")) {
        p.setString(1, keyId);
        p.setString(2, agentKeyId);
        p.setString(3, address);
        p.setLong(4, now);
        p.executeUpdate();
      }
      return lookup(c, keyId, agentKeyId).orElseThrow();
    }).exceptionallyCompose(AgentLinks::unwrap);
  }

  /** Forgets the link; true when there was one. */
  public CompletableFuture<Boolean> unlink(String keyId, String agentKeyId) {
    return db.write(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM agent_links WHERE key_id = ? AND agent_key = ?")) {
        p.setString(1, keyId);
        p.setString(2, agentKeyId);
        return p.executeUpdate() > 0;
      }
    });
  }

  /** The phone's agents, oldest link first. */
  public List<AgentLink> list(String keyId) {
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(SELECT + "WHERE l.key_id = ? ORDER BY l.linked, l.agent_key")) {
        p.setString(1, keyId);
        return rows(p);
      }
    });
  }

  /** The phone's link to this agent, if any. */
  public Optional<AgentLink> find(String keyId, String agentKeyId) {
    return db.read(c -> lookup(c, keyId, agentKeyId));
  }

  /** Every linked agent's address, once each (the relay probes them). */
  public List<String> addresses() {
    return db.read(c -> {
      List<String> out = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT MAX(address) FROM agent_links GROUP BY agent_key")) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  /** Records what the relay just saw of the agent: it answered (online) or did not. */
  public CompletableFuture<Void> seen(String agentKeyId, boolean online) {
    return db.write(c -> {
      long now = clock.millis();
      try (PreparedStatement p = c.prepareStatement("INSERT INTO agent_presence VALUES (?, ?, ?, ?) "
          + "ON CONFLICT(agent_key) DO UPDATE SET online = excluded.online, checked = excluded.checked, "
          + "last_seen = CASE WHEN excluded.online = 1 THEN excluded.last_seen ELSE agent_presence.last_seen END")) {
        p.setString(1, agentKeyId);
        p.setInt(2, online ? 1 : 0);
        p.setLong(3, online ? now : 0);
        p.setLong(4, now);
        p.executeUpdate();
      }
      return null;
    });
  }

  private static final String SELECT = "SELECT l.agent_key, l.address, l.linked, COALESCE(a.online, 0), "
      + "COALESCE(a.last_seen, 0) FROM agent_links l LEFT JOIN agent_presence a ON a.agent_key = l.agent_key ";

  private static Optional<AgentLink> lookup(Connection c, String keyId, String agentKeyId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(SELECT + "WHERE l.key_id = ? AND l.agent_key = ?")) {
      p.setString(1, keyId);
      p.setString(2, agentKeyId);
      return rows(p).stream().findFirst();
    }
  }

  private static int count(Connection c, String keyId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM agent_links WHERE key_id = ?")) {
      p.setString(1, keyId);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  private static List<AgentLink> rows(PreparedStatement p) throws SQLException {
    List<AgentLink> out = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.add(new AgentLink(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4) == 1, rs.getLong(5)));
      }
    }
    return out;
  }

  /** The writer wraps what the work threw; a refused link is the caller's mistake, not the store's. */
  private static CompletableFuture<AgentLink> unwrap(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && !(c instanceof IllegalArgumentException)) {
      c = c.getCause();
    }
    return CompletableFuture.failedFuture(c instanceof IllegalArgumentException ? c : t);
  }
}

package tech.infernet.nkn;

/** How many of a client's sub-clients hold a connection to an NKN node. */
public record NknConnectionState(int connectedSubClients, int totalSubClients) {
  /** True while at least one sub-client can send. */
  public boolean connected() {
    return connectedSubClients > 0;
  }
}

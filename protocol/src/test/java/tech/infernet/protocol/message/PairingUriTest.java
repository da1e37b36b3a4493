package tech.infernet.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;

class PairingUriTest {
  private static final String PK = "adc14011f82d1c56d956aa4f9d73d8858361a606048525e0d08c638dc75dd8c7";

  @Test
  void aPairingLinkRoundTripsAndNamesTheAgentKey() throws Exception {
    PairingUri u = new PairingUri("agent." + PK, "abcdefghijklmnopqrstuv", 1_767_225_600_000L);
    assertEquals(u, PairingUri.parse(u.toString()));
    assertEquals(PK, u.agentPublicKeyHex());
    assertEquals(PK, PairingUri.parse("infernet://pair?agent=" + PK + "&secret=abcdefghijklmnopqrstuv&expires=5").agentPublicKeyHex());
  }

  @Test
  void aLinkThatDoesNotParseIsPairInvalid() {
    for (String bad : new String[] {"https://pair?agent=" + PK + "&secret=abcdefghijklmnopqrstuv&expires=5",
        "infernet://pair?agent=xyz&secret=abcdefghijklmnopqrstuv&expires=5",
        "infernet://pair?agent=" + PK + "&secret=short&expires=5",
        "infernet://pair?agent=" + PK + "&secret=abcdefghijklmnopqrstuv",
        "infernet://pair?agent=" + PK + "&secret=abcdefghijklmnopqrstuv&expires=soon", "::"}) {
      assertEquals(ErrorCode.PAIR_INVALID, assertThrows(ProtocolException.class, () -> PairingUri.parse(bad), bad).code());
    }
  }
}

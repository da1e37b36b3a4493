package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NknAccountTest {
  // RFC 8032, section 7.1, TEST 1.
  private static final String RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  private static final String RFC8032_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

  @Test
  void publicKeyFromSeedMatchesTheRfc8032Vector() {
    NknAccount account = NknAccount.fromSeed(HexFormat.of().parseHex(RFC8032_SEED));

    assertEquals(RFC8032_PUBLIC, account.publicKeyHex());
  }

  @Test
  void addressIsIdentifierDotPublicKeyOrTheBareKey() {
    NknAccount account = NknAccount.fromSeed(HexFormat.of().parseHex(RFC8032_SEED));

    assertEquals("agent." + RFC8032_PUBLIC, account.address("agent"));
    assertEquals(RFC8032_PUBLIC, account.address(""));
  }

  @Test
  void generatedAccountsDifferAndNeverPrintTheirSeed() {
    NknAccount first = NknAccount.generate();
    NknAccount second = NknAccount.generate();

    assertNotEquals(first, second);
    assertFalse(first.toString().contains(HexFormat.of().formatHex(first.seed())));
  }

  @Test
  void seedOfWrongLengthIsRefused() {
    NknException refused = assertThrows(NknException.class, () -> NknAccount.fromSeed(new byte[31]));

    assertEquals(NknException.Code.INVALID_ARGUMENT, refused.code());
  }
}

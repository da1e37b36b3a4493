package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NknClientOptionsTest {

  @Test
  void defaultsAreValid() {
    NknClientOptions options = NknClientOptions.builder("http://127.0.0.1:30003").build();

    assertEquals(4, options.subClients());
    assertEquals(Duration.ofSeconds(10), options.replyTimeout());
  }

  @Test
  void errorNamesTheOptionAndTheProblem() {
    NknException refused = assertThrows(NknException.class,
        () -> NknClientOptions.builder("http://127.0.0.1:30003").subClients(0).build());

    assertEquals(NknException.Code.INVALID_ARGUMENT, refused.code());
    assertTrue(refused.getMessage().contains("subClients"), refused.getMessage());
    assertTrue(refused.getMessage().contains("between 1 and 16"), refused.getMessage());
  }

  @Test
  void seedAddressMustBeAnHttpUrl() {
    NknException refused = assertThrows(NknException.class,
        () -> NknClientOptions.builder("127.0.0.1:30003").build());

    assertTrue(refused.getMessage().contains("seedRpcAddresses"), refused.getMessage());
  }

  @Test
  void atLeastOneSeedAddressIsNeeded() {
    assertThrows(NknException.class, () -> NknClientOptions.builder(List.of()).build());
  }

  @Test
  void identifierWithDotsOrSpacesIsRefused() {
    assertThrows(NknException.class, () -> NknClientOptions.builder("http://h:1").identifier("a.b").build());
    assertThrows(NknException.class, () -> NknClientOptions.builder("http://h:1").identifier("a b").build());
  }

  @Test
  void nonPositiveDurationsAreRefused() {
    assertThrows(NknException.class, () -> NknClientOptions.builder("http://h:1").replyTimeout(Duration.ZERO).build());
    assertThrows(NknException.class, () -> NknClientOptions.builder("http://h:1").connectTimeout(Duration.ofSeconds(-1)).build());
  }

  @Test
  void jsonForTheNativeSideCarriesTheValues() {
    String json = NknClientOptions.builder("http://h:1").identifier("id").subClients(3).build().toJson();

    assertTrue(json.contains("\"seedRpc\":[\"http://h:1\"]"), json);
    assertTrue(json.contains("\"identifier\":\"id\""), json);
    assertTrue(json.contains("\"subClients\":3"), json);
  }

  @Test
  void jsonStringsAreEscaped() {
    assertEquals("\"a\\\"b\\\\c\\u0001\"", Json.quote("a\"b\\c\u0001"));
  }

  @Test
  void toBuilderKeepsEveryValue() {
    NknClientOptions options = NknClientOptions.builder("http://h:1").subClients(2).sessionMtu(4096).build();

    assertEquals(options, options.toBuilder().build());
  }
}

package tech.infernet.agent.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final List<String> seen = new ArrayList<>();
  private final SseParser p = new SseParser((type, data) -> seen.add(type + "|" + data));

  private void feed(String... lines) {
    for (String l : lines) {
      p.line(l);
    }
  }

  @Test
  void dataLinesAreJoinedAndDispatchedAtABlankLine() {
    feed("data: {\"a\":1}", "", "data:first", "data: second", "", "data: [DONE]", "");
    assertEquals(List.of("message|{\"a\":1}", "message|first\nsecond", "message|[DONE]"), seen);
  }

  @Test
  void commentsIdsAndRetriesAreIgnoredAndEventNamesKept() {
    feed(": ping", "", "id: 7", "retry: 1000", "event: error", "data: boom", "", "data:  two spaces", "");
    assertEquals(List.of("error|boom", "message| two spaces"), seen);
  }

  @Test
  void anEventWithoutItsBlankLineIsDroppedAtTheEnd() {
    feed("data: complete", "", "data: cut off");
    p.end();
    assertEquals(List.of("message|complete"), seen);
  }

  @Test
  void aFieldWithoutAColonHasAnEmptyValue() {
    feed("data", "", "event", "data: x", "");
    assertEquals(List.of("message|", "message|x"), seen);
  }
}

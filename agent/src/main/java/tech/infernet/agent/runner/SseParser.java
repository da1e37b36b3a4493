package tech.infernet.agent.runner;

/**
 * Incremental Server-Sent Events parser (the WHATWG event-stream rules that OpenAI-compatible
 * servers use): {@code data:} lines are joined with newlines and dispatched at a blank line,
 * {@code event:} names the event, lines starting with {@code :} are comments, a single space after
 * the colon is dropped, and CR, LF or CRLF end a line. Feed it lines; it calls the handler.
 */
final class SseParser {
  interface Handler {
    /** One complete event; {@code type} is "message" unless the stream named another. */
    void event(String type, String data);
  }

  private final Handler handler;
  private final StringBuilder data = new StringBuilder();
  private String type = "";
  private boolean hasData;

  SseParser(Handler handler) {
    this.handler = handler;
  }

  /** One line without its line terminator. */
  void line(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> type = value;
      default -> { } // id, retry and unknown fields do not matter here
    }
  }

  /** End of stream: an event without its closing blank line is dropped, as the spec says. */
  void end() {
    data.setLength(0);
    hasData = false;
    type = "";
  }

  private void dispatch() {
    if (hasData) {
      handler.event(type.isEmpty() ? "message" : type, data.toString());
    }
    data.setLength(0);
    hasData = false;
    type = "";
  }
}

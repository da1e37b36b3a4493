package tech.infernet.agent.hardware;

/** A telemetry reading crossed (or came back under) a limit: for the owner's event feed. */
public record LimitEvent(String type, int gpu, double value, double limit, long atMillis, String message) {}

package tech.infernet.agent.hardware;

import java.util.Objects;
import java.util.function.Function;

/**
 * What one probe found: a value, or the reason there is none ("unavailable, because ..."). Probes
 * never throw; callers render either side.
 */
public sealed interface Probed<T> permits Probed.Ok, Probed.Unavailable {

  record Ok<T>(T value) implements Probed<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  record Unavailable<T>(String reason) implements Probed<T> {
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
    }
  }

  static <T> Probed<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Probed<T> unavailable(String reason) {
    return new Unavailable<>(reason);
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The value, or null when unavailable. */
  default T orNull() {
    return this instanceof Ok<T> ok ? ok.value() : null;
  }

  /** The reason, or null when a value is present. */
  default String reason() {
    return this instanceof Unavailable<T> u ? u.reason() : null;
  }

  default <R> Probed<R> map(Function<? super T, ? extends R> f) {
    if (this instanceof Ok<T> ok) {
      return Probed.ok(f.apply(ok.value()));
    }
    return Probed.unavailable(reason());
  }

  /** Wraps a probe body so an unexpected exception becomes a reason instead of escaping. */
  static <T> Probed<T> guard(String what, java.util.concurrent.Callable<Probed<T>> body) {
    try {
      return body.call();
    } catch (Exception | LinkageError e) {
      return Probed.unavailable(what + " failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }
}

package tech.infernet.mobile.store;

/** A database failure (I/O, disk full, closed); never caused by client input. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(Throwable cause) {
    super(cause.getMessage(), cause);
  }
}

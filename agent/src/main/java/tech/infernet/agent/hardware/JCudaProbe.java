package tech.infernet.agent.hardware;

import java.util.List;

/**
 * Guards every use of JCuda. The first {@link LinkageError} (no JCuda natives for this platform,
 * no libcuda.so.1, a noexec temp dir) is caught once and remembered: after it JCuda is never
 * touched again in this JVM, so later calls answer at once with the same reason instead of
 * {@code NoClassDefFoundError}.
 */
public final class JCudaProbe {
  private static volatile String disabled;

  private JCudaProbe() {}

  /** Why JCuda is off for good in this JVM, or null while it may still work. */
  public static String disabledReason() {
    return disabled;
  }

  static synchronized Probed<List<Gpu>> gpus() {
    String off = usable();
    if (off != null) {
      return Probed.unavailable(off);
    }
    try {
      List<Gpu> gpus = JCudaGpus.list();
      return gpus.isEmpty() ? Probed.unavailable("the CUDA driver reports no device") : Probed.ok(gpus);
    } catch (LinkageError e) {
      linkageFailed(e);
      return Probed.unavailable(disabled);
    } catch (RuntimeException e) { // jcuda.CudaException, e.g. CUDA_ERROR_NO_DEVICE
      return Probed.unavailable("CUDA driver error: " + e.getMessage());
    }
  }

  /** Null when JCuda may be called; else the reason it may not. Marks it off when classes are missing. */
  static synchronized String usable() {
    if (disabled != null) {
      return disabled;
    }
    try {
      Class.forName("jcuda.driver.JCudaDriver", false, JCudaProbe.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      disabled = "JCuda is not on the classpath (no natives for this platform: build from source on aarch64)";
    }
    return disabled;
  }

  /** Records a LinkageError seen by another JCuda user (the benchmark). */
  static void linkageFailed(LinkageError e) {
    disabled = "JCuda cannot load its native library or libcuda.so.1 (" + e.getClass().getSimpleName()
        + ": " + summary(e.getMessage()) + ")";
  }

  /** The telling line of JCuda's multi-line load error ("libcuda.so.1: cannot open shared object file"). */
  static String summary(String message) {
    if (message == null) {
      return "no message";
    }
    String cause = null;
    for (String line : message.split("\n")) {
      int at = line.indexOf(": ", line.indexOf("UnsatisfiedLinkError"));
      if (line.contains("UnsatisfiedLinkError") && at > 0) {
        cause = line.substring(line.indexOf("UnsatisfiedLinkError") + "UnsatisfiedLinkError: ".length()).strip();
      }
    }
    String first = message.split("\n")[0].strip();
    return cause == null ? first : first + ": " + cause;
  }
}

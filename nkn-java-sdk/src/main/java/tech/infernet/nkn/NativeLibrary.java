package tech.infernet.nkn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Extracts the platform's native library from the jar into a private directory, checks its
 * SHA-256 against the one recorded at build time, and loads it once.
 *
 * <p>The directory is {@code $XDG_CACHE_HOME/infernet/native/<sha256>} (or
 * {@code ~/.cache/...}), or the system property {@code infernet.nkn.native.dir}. It must be
 * owned by this user and closed to others: a shared, world-writable path such as /tmp would let
 * another user swap the library between the check and the load.
 */
final class NativeLibrary {
  static final String FILE_NAME = "libinfernet_nkn.so";
  private static final String RESOURCE_ROOT = "/tech/infernet/nkn/native/";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  private static boolean loaded;

  private NativeLibrary() {}

  static synchronized void load() {
    if (loaded) {
      return;
    }
    String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    String resource = RESOURCE_ROOT + platform + "/" + FILE_NAME;
    String expected = readExpectedChecksum(resource + ".sha256");
    Path dir = baseDirectory().resolve(expected.substring(0, 16));
    try {
      Path library = extract(resource, expected, dir);
      System.load(library.toString());
    } catch (IOException | UnsatisfiedLinkError e) {
      throw new NknException(NknException.Code.NATIVE_LIBRARY,
          "cannot load " + resource + " from " + dir + ": " + e.getMessage(), e);
    }
    loaded = true;
  }

  static String platform(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) {
      if (arch.equals("amd64") || arch.equals("x86_64")) {
        return "linux-x86_64";
      }
      if (arch.equals("aarch64") || arch.equals("arm64")) {
        return "linux-aarch64";
      }
    }
    throw new NknException(NknException.Code.NATIVE_LIBRARY,
        "nkn-java-sdk has no native library for " + osName + "/" + osArch
            + " (built for linux-x86_64 and linux-aarch64)");
  }

  static Path baseDirectory() {
    String configured = System.getProperty("infernet.nkn.native.dir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String cache = System.getenv("XDG_CACHE_HOME");
    Path root = cache != null && cache.startsWith("/")
        ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache");
    return root.resolve("infernet").resolve("native");
  }

  private static String readExpectedChecksum(String resource) {
    try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new NknException(NknException.Code.NATIVE_LIBRARY,
            "the jar has no " + resource + ": it was built without the native library for this platform");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new NknException(NknException.Code.NATIVE_LIBRARY, "cannot read " + resource, e);
    }
  }

  /** Returns a verified copy of the library in dir, extracting it if needed. */
  static Path extract(String resource, String expectedSha256, Path dir) throws IOException {
    createPrivateDirectories(dir);
    Path target = dir.resolve(FILE_NAME);
    if (Files.isRegularFile(target) && expectedSha256.equals(sha256(target))) {
      return target;
    }
    Path temp = Files.createTempFile(dir, FILE_NAME, ".part");
    try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("the jar has no " + resource);
      }
      Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      String actual = sha256(temp);
      if (!expectedSha256.equals(actual)) {
        throw new IOException("checksum mismatch for " + resource + ": expected " + expectedSha256 + ", got " + actual);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Creates dir and its parent (the base directory) closed to other users, and checks both. */
  private static void createPrivateDirectories(Path dir) throws IOException {
    Path base = dir.toAbsolutePath().getParent();
    if (base.getParent() != null) {
      Files.createDirectories(base.getParent());
    }
    for (Path path : new Path[] {base, dir}) {
      try {
        Files.createDirectory(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (FileAlreadyExistsException exists) {
        // an earlier run made it; checked below like a new one
      }
      checkPrivate(path);
    }
  }

  private static void checkPrivate(Path dir) throws IOException {
    String owner = Files.getOwner(dir).getName();
    String me = System.getProperty("user.name");
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
    if (!owner.equals(me)
        || permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(dir + " must be owned by " + me + " and writable by no one else (owner "
          + owner + ", permissions " + PosixFilePermissions.toString(permissions) + ")");
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}

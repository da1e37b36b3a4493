package tech.infernet.client;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import tech.infernet.protocol.KeyPair;

/**
 * A client's Ed25519 identity: a 32-byte seed in a file only its owner can read (0600), made
 * with a strong random generator on first use. The seed is never printed.
 */
public final class IdentityFile {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private IdentityFile() {}

  /** {@code $XDG_CONFIG_HOME/infernet/identity}, or {@code ~/.config/infernet/identity}. */
  public static Path defaultPath() {
    String config = System.getenv("XDG_CONFIG_HOME");
    Path root = config != null && config.startsWith("/") ? Path.of(config) : Path.of(System.getProperty("user.home"), ".config");
    return root.resolve("infernet").resolve("identity");
  }

  public static KeyPair loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      byte[] seed = new byte[32];
      try {
        SecureRandom.getInstanceStrong().nextBytes(seed);
      } catch (java.security.NoSuchAlgorithmException e) {
        new SecureRandom().nextBytes(seed);
      }
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.write(file, seed);
      } catch (FileAlreadyExistsException raced) {
        // another process made it first; use theirs
      }
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new IOException("identity file " + file + " is open to other users (" + PosixFilePermissions.toString(permissions)
          + "); run: chmod 600 " + file);
    }
    byte[] seed = Files.readAllBytes(file);
    if (seed.length != 32) {
      throw new IOException("identity file " + file + " must hold 32 bytes, it holds " + seed.length);
    }
    return KeyPair.fromSeed(seed);
  }
}

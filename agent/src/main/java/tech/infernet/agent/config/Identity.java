package tech.infernet.agent.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * The agent's Ed25519 identity: a 32-byte seed from a strong RNG in a file of mode 0600. The
 * seed is never logged or printed; {@link #toString()} shows only the public key.
 */
public final class Identity {
  private final byte[] seed;
  private final byte[] publicKey;

  private Identity(byte[] seed) throws GeneralSecurityException {
    this.seed = seed.clone();
    this.publicKey = derivePublic(seed);
  }

  /** Creates the identity file (refusing to overwrite one) and returns the identity. */
  public static Identity create(Path file) throws IOException, GeneralSecurityException {
    byte[] seed = new byte[32];
    SecureRandom.getInstanceStrong().nextBytes(seed);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
    } catch (FileAlreadyExistsException e) {
      throw new IOException("identity file " + file + " already exists; not overwriting it", e);
    }
    Files.write(file, seed);
    Identity id = new Identity(seed);
    Arrays.fill(seed, (byte) 0);
    return id;
  }

  public static Identity load(Path file) throws IOException, GeneralSecurityException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
      throw new IOException("identity file " + file + " is readable by others; chmod 600 it");
    }
    byte[] seed = Files.readAllBytes(file);
    if (seed.length != 32) {
      throw new IOException("identity file " + file + " must hold 32 bytes");
    }
    return new Identity(seed);
  }

  public String publicKeyHex() {
    return HexFormat.of().formatHex(publicKey);
  }

  /** A copy of the seed for the NKN client; callers must not log it. */
  public byte[] seed() {
    return seed.clone();
  }

  @Override
  public String toString() {
    return "Identity[" + publicKeyHex() + "]";
  }

  private static byte[] derivePublic(byte[] seed) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    g.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] bytes) {
        System.arraycopy(seed, 0, bytes, 0, bytes.length);
      }
    });
    byte[] x509 = g.generateKeyPair().getPublic().getEncoded();
    return Arrays.copyOfRange(x509, x509.length - 32, x509.length);
  }
}

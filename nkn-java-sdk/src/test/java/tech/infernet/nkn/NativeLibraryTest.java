package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryTest {
  private static final String RESOURCE = "/tech/infernet/nkn/native/linux-x86_64/" + NativeLibrary.FILE_NAME;

  @Test
  void platformNamesCoverX86AndArmLinux() {
    assertEquals("linux-x86_64", NativeLibrary.platform("Linux", "amd64"));
    assertEquals("linux-aarch64", NativeLibrary.platform("Linux", "aarch64"));
    NknException other = assertThrows(NknException.class, () -> NativeLibrary.platform("Mac OS X", "aarch64"));
    assertEquals(NknException.Code.NATIVE_LIBRARY, other.code());
  }

  @Test
  void extractsIntoAnOwnerOnlyDirectoryAndVerifiesTheChecksum(@TempDir Path temp) throws IOException {
    String expected = expectedChecksum();
    Path dir = temp.resolve("native").resolve("abc");

    Path library = NativeLibrary.extract(RESOURCE, expected, dir);

    assertEquals(expected, NativeLibrary.sha256(library));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())));
  }

  @Test
  void tamperedCopyOnDiskIsReplacedByTheVerifiedOne(@TempDir Path temp) throws IOException {
    String expected = expectedChecksum();
    Path dir = temp.resolve("native").resolve("abc");
    Path library = NativeLibrary.extract(RESOURCE, expected, dir);
    Files.write(library, new byte[] {1, 2, 3});

    NativeLibrary.extract(RESOURCE, expected, dir);

    assertEquals(expected, NativeLibrary.sha256(library));
  }

  @Test
  void wrongExpectedChecksumRefusesToExtract(@TempDir Path temp) {
    IOException refused = assertThrows(IOException.class,
        () -> NativeLibrary.extract(RESOURCE, "00".repeat(32), temp.resolve("native").resolve("x")));

    assertTrue(refused.getMessage().contains("checksum mismatch"), refused.getMessage());
  }

  @Test
  void directoryOthersCanWriteIsRefused(@TempDir Path temp) throws IOException {
    Path base = Files.createDirectories(temp.resolve("native"));
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));

    IOException refused = assertThrows(IOException.class,
        () -> NativeLibrary.extract(RESOURCE, expectedChecksum(), base.resolve("x")));

    assertTrue(refused.getMessage().contains("writable by no one else"), refused.getMessage());
  }

  private static String expectedChecksum() throws IOException {
    try (var in = NativeLibraryTest.class.getResourceAsStream(RESOURCE + ".sha256")) {
      return new String(in.readAllBytes()).trim();
    }
  }
}

package tech.infernet.agent.hardware;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Free space where the agent keeps state and where container images live. */
public record Disk(String role, String path, long totalBytes, long freeBytes) {

  static Probed<List<Disk>> probe(Host host) {
    List<Disk> out = new ArrayList<>();
    List<Path> paths = host.storagePaths();
    for (int i = 0; i < paths.size(); i++) {
      Path p = paths.get(i);
      String role = i == 0 ? "state" : "containers";
      if (i > 0 && !Files.isDirectory(p)) {
        continue; // container storage not on this machine
      }
      Path existing = p.toAbsolutePath();
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null) {
        continue;
      }
      try {
        FileStore fs = Files.getFileStore(existing);
        out.add(new Disk(role, p.toString(), fs.getTotalSpace(), fs.getUsableSpace()));
      } catch (IOException | SecurityException e) {
        // unreadable store: leave it out, the others still count
      }
    }
    return out.isEmpty() ? Probed.unavailable("no readable filesystem for the state dir") : Probed.ok(out);
  }
}

package tech.infernet.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.infernet.protocol.internal.Json;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.message.Payloads;
import tech.infernet.protocol.message.PayloadsTest;
import tech.infernet.protocol.transfer.ChunkFrames;

/** Valid (and a few nearly valid) inputs for each fuzz target, from the vectors and the test fixtures. */
final class FuzzSeeds {
  static final Path JAZZER_INPUTS = Path.of("src/test/resources/tech/infernet/protocol/fuzz/DecoderFuzzTestInputs");

  private FuzzSeeds() {}

  @SuppressWarnings("unchecked")
  static Map<String, List<byte[]>> all() throws Exception {
    Map<String, List<byte[]>> m = new LinkedHashMap<>();
    Map<String, Object> vectors = (Map<String, Object>) Json.parse(TestVectorsTest.resourceText(), 8);
    List<byte[]> binary = new ArrayList<>();
    List<byte[]> json = new ArrayList<>();
    for (Object o : (List<Object>) vectors.get("envelopes")) {
      Map<String, Object> v = (Map<String, Object>) o;
      binary.add(HexFormat.of().parseHex((String) v.get("binary")));
      json.add(((String) v.get("json")).getBytes(StandardCharsets.UTF_8));
    }
    for (Object o : (List<Object>) vectors.get("rejections")) {
      binary.add(HexFormat.of().parseHex((String) ((Map<String, Object>) o).get("binary")));
    }
    m.put("binaryEnvelope", binary);
    m.put("jsonEnvelope", json);

    List<byte[]> payloads = new ArrayList<>();
    for (Payload p : PayloadsTest.everyKind()) {
      byte[] body = Payloads.encode(p);
      byte[] d = new byte[body.length + 1];
      d[0] = (byte) p.type().ordinal();
      System.arraycopy(body, 0, d, 1, body.length);
      payloads.add(d);
    }
    m.put("payload", payloads);

    m.put("jobSpec", utf8(
        "{\"version\":1,\"kind\":\"container\",\"image\":\"docker.io/library/alpine:3.20\",\"command\":[\"echo\",\"hi\"],"
            + "\"env\":{\"A\":\"b\"},\"resources\":{\"memoryMb\":512,\"cpus\":1.5,\"gpus\":1,\"vramMb\":1024},\"timeoutSeconds\":60,\"network\":true}",
        "{\"version\":1,\"kind\":\"inference\",\"endpoint\":\"chat/completions\",\"request\":{\"model\":\"m\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}",
        "{\"version\":1,\"kind\":\"inference\",\"endpoint\":\"completions\",\"request\":{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}}",
        "{\"version\":1,\"kind\":\"inference\",\"endpoint\":\"embeddings\",\"request\":{\"model\":\"m\",\"input\":\"x\"},\"timeoutSeconds\":5}"));

    List<byte[]> nosana = new ArrayList<>();
    for (String f : List.of("hello-string-cmd.json", "gpu-global-defaults.json", "service-with-expose.json")) {
      try (InputStream in = FuzzSeeds.class.getResourceAsStream("/nosana/" + f)) {
        nosana.add(in.readAllBytes());
      }
    }
    nosana.addAll(utf8("{\"version\":\"0.1\",\"type\":\"container\",\"meta\":{\"trigger\":\"cli\",\"system_resources\":{\"required_vram\":4.5}},"
        + "\"global\":{\"gpu\":true,\"env\":{\"X\":\"1\"}},\"ops\":[{\"type\":\"container/run\",\"id\":\"a\",\"args\":"
        + "{\"image\":\"ubuntu:22.04\",\"cmd\":\"echo %%ops.a.x%%\",\"required_vram\":2,\"expose\":[8080],\"resources\":[]}}]}"));
    m.put("nosana", nosana);

    List<byte[]> transfer = new ArrayList<>();
    transfer.add(FuzzTargets.MANIFEST.toJson().getBytes(StandardCharsets.UTF_8));
    java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < FuzzTargets.MANIFEST.chunkCount(); i++) {
      frames.write(ChunkFrames.encode(i, new byte[FuzzTargets.MANIFEST.chunkLength(i)]));
    }
    transfer.add(frames.toByteArray());
    m.put("transfer", transfer);
    return m;
  }

  private static List<byte[]> utf8(String... s) {
    List<byte[]> out = new ArrayList<>();
    for (String x : s) {
      out.add(x.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Writes the seeds as Jazzer regression inputs (run once after the seeds change). */
  static void writeJazzerInputs() throws Exception {
    for (Map.Entry<String, List<byte[]>> e : all().entrySet()) {
      Path dir = JAZZER_INPUTS.resolve(e.getKey());
      Files.createDirectories(dir);
      for (int i = 0; i < e.getValue().size(); i++) {
        Files.write(dir.resolve(String.format("seed-%02d", i)), e.getValue().get(i));
      }
    }
  }

  static String hex(byte[] b) throws IOException {
    return HexFormat.of().formatHex(b);
  }
}

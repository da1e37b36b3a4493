package tech.infernet.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import tech.infernet.protocol.FuzzTargets;

/**
 * Coverage-guided fuzzing of every decoder with Jazzer. In a normal build these run in
 * regression mode over the seeds in src/test/resources/tech/infernet/protocol/fuzz/
 * DecoderFuzzTestInputs/ (and any crash inputs added there). To fuzz one target (Jazzer fuzzes
 * one per JVM), for up to the maxDuration below:
 * {@code JAZZER_FUZZ=1 mvn -pl protocol test -Dtest='DecoderFuzzTest#binaryEnvelope'}.
 * The time-bounded property tests in {@code FuzzPropertiesTest} cover all targets in every build.
 */
class DecoderFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void binaryEnvelope(byte[] data) {
    FuzzTargets.binaryEnvelope(data);
  }

  @FuzzTest(maxDuration = "10m")
  void jsonEnvelope(byte[] data) {
    FuzzTargets.jsonEnvelope(data);
  }

  @FuzzTest(maxDuration = "10m")
  void payload(byte[] data) {
    FuzzTargets.payload(data);
  }

  @FuzzTest(maxDuration = "10m")
  void jobSpec(byte[] data) {
    FuzzTargets.jobSpec(data);
  }

  @FuzzTest(maxDuration = "10m")
  void nosana(byte[] data) {
    FuzzTargets.nosana(data);
  }

  @FuzzTest(maxDuration = "10m")
  void transfer(byte[] data) {
    FuzzTargets.transfer(data);
  }
}

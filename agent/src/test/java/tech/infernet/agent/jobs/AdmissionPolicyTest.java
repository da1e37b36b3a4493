package tech.infernet.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionPolicyTest {
  private final AdmissionPolicy policy = new AdmissionPolicy(new Limits(1024, 2, 256, 600),
      new Limits(256, 1, 128, 60), List.of("localhost/*", "docker.io/library/busybox:*"), false,
      false, EnumSet.of(RunnerKind.CONTAINER));
  private final SpecParser parser = new SpecParser();

  @Test
  void memoryAboveTheMaximumIsRejectedWithAClearReason() throws Exception {
    Admission a = policy.admit(parser.parse(
        "{\"image\":\"localhost/x:1\",\"limits\":{\"memoryMb\":4096}}"));
    Admission.Rejected r = assertInstanceOf(Admission.Rejected.class, a);
    assertEquals(RejectReason.MEMORY_ABOVE_MAX, r.code());
    assertTrue(r.reason().contains("4096") && r.reason().contains("1024"), r.reason());
  }

  @Test
  void missingLimitsTakeTheDefaults() throws Exception {
    Admission a = policy.admit(parser.parse("{\"image\":\"localhost/x:1\"}"));
    assertEquals(new Limits(256, 1, 128, 60),
        assertInstanceOf(Admission.Accepted.class, a).spec().limits());
  }

  @Test
  void imagesOffTheAllowListAreRejected() throws Exception {
    assertEquals(RejectReason.IMAGE_NOT_ALLOWED, ((Admission.Rejected) policy.admit(
        parser.parse("{\"image\":\"evil.example/miner:1\"}"))).code());
    assertInstanceOf(Admission.Accepted.class,
        policy.admit(parser.parse("{\"image\":\"docker.io/library/busybox:1.36\"}")));
  }

  @Test
  void networkGpuAndDisabledRunnersAreRejected() throws Exception {
    assertEquals(RejectReason.NETWORK_NOT_ALLOWED, ((Admission.Rejected) policy.admit(
        parser.parse("{\"image\":\"localhost/x\",\"network\":true}"))).code());
    assertEquals(RejectReason.GPU_UNAVAILABLE, ((Admission.Rejected) policy.admit(
        parser.parse("{\"image\":\"localhost/x\",\"gpu\":true}"))).code());
    assertEquals(RejectReason.RUNNER_DISABLED, ((Admission.Rejected) policy.admit(
        parser.parse("{\"kind\":\"process\",\"args\":[\"true\"]}"))).code());
  }
}

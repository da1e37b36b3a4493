package tech.infernet.agent.hardware;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_INTEGRATED;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUuuid;
import jcuda.driver.JCudaDriver;

/**
 * The only class besides {@link JCudaBench} that names JCuda types. Loading it loads JCuda's native
 * library and libcuda.so.1; callers go through {@link JCudaProbe}, which survives that failing.
 */
final class JCudaGpus {
  private JCudaGpus() {}

  static List<Gpu> list() {
    JCudaDriver.setExceptionsEnabled(true);
    JCudaDriver.cuInit(0);
    int[] v = new int[1];
    JCudaDriver.cuDriverGetVersion(v);
    String cuda = (v[0] / 1000) + "." + (v[0] % 1000) / 10;
    int[] count = new int[1];
    JCudaDriver.cuDeviceGetCount(count);
    List<Gpu> out = new ArrayList<>();
    for (int i = 0; i < count[0]; i++) {
      CUdevice d = new CUdevice();
      JCudaDriver.cuDeviceGet(d, i);
      byte[] name = new byte[256];
      JCudaDriver.cuDeviceGetName(name, name.length, d);
      long[] total = new long[1];
      JCudaDriver.cuDeviceTotalMem(total, d);
      int major = attr(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
      int minor = attr(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
      int sms = attr(d, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
      boolean integrated = attr(d, CU_DEVICE_ATTRIBUTE_INTEGRATED) != 0;
      CUuuid uuid = new CUuuid();
      JCudaDriver.cuDeviceGetUuid(uuid, d);
      Long free = null;
      CUcontext ctx = new CUcontext();
      JCudaDriver.cuDevicePrimaryCtxRetain(ctx, d);
      try {
        JCudaDriver.cuCtxSetCurrent(ctx);
        long[] f = new long[1];
        long[] t = new long[1];
        JCudaDriver.cuMemGetInfo(f, t);
        free = f[0] / (1024 * 1024);
      } finally {
        JCudaDriver.cuDevicePrimaryCtxRelease(d);
      }
      out.add(new Gpu(i, cString(name), uuidString(uuid.bytes), total[0] / (1024 * 1024), free,
          major + "." + minor, sms, null, cuda, integrated));
    }
    return out;
  }

  private static int attr(CUdevice d, int a) {
    int[] v = new int[1];
    JCudaDriver.cuDeviceGetAttribute(v, a, d);
    return v[0];
  }

  static String cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", the form nvidia-smi prints. */
  static String uuidString(byte[] b) {
    if (b == null || b.length != 16) {
      return null;
    }
    StringBuilder s = new StringBuilder("GPU-");
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        s.append('-');
      }
      s.append(String.format("%02x", b[i] & 0xff));
    }
    return s.toString();
  }
}

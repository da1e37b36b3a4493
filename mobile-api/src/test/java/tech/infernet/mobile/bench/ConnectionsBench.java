package tech.infernet.mobile.bench;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark client (not a test): opens one MQTT 3.1.1 connection per {@code keyId token} line of
 * a file (from {@link DevRelay}), each CONNECT (keepalive 600 s) then SUBSCRIBE QoS 1 to its own
 * {@code u/{keyId}/jobs/#}, on plain non-blocking sockets (so the client costs almost nothing),
 * counts CONNACKs and SUBACKs that grant QoS 1, holds the connections, then exits. Arguments:
 * MQTT port, tokens file, seconds to hold.
 */
public final class ConnectionsBench {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    List<String> lines = Files.readAllLines(Path.of(args[1]));
    int hold = Integer.parseInt(args[2]);
    Selector sel = Selector.open();
    int[] acked = new int[1];
    int[] subscribed = new int[1];
    long t0 = System.nanoTime();
    int i = 0;
    for (String line : lines) {
      String[] kt = line.split(" ");
      SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      ch.configureBlocking(false);
      ByteBuffer out = ByteBuffer.wrap(concat(connect("c" + i, kt[0], kt[1]), subscribe("u/" + kt[0] + "/jobs/#")));
      while (out.hasRemaining()) {
        ch.write(out);
      }
      ch.register(sel, SelectionKey.OP_READ, ByteBuffer.allocate(16));
      i++;
      if (i % 500 == 0) {
        poll(sel, acked, subscribed, 0);
      }
    }
    long deadline = System.currentTimeMillis() + 60_000;
    while ((acked[0] < lines.size() || subscribed[0] < lines.size()) && System.currentTimeMillis() < deadline) {
      poll(sel, acked, subscribed, 200);
    }
    System.out.printf("%d connections: %d CONNACK accepted, %d SUBACK QoS 1, in %.1f s%n", lines.size(), acked[0],
        subscribed[0], (System.nanoTime() - t0) / 1e9);
    long end = System.currentTimeMillis() + hold * 1000L;
    while (System.currentTimeMillis() < end) {
      poll(sel, acked, subscribed, 500);
    }
    System.out.printf("held %d s; open channels %d%n", hold, sel.keys().stream().filter(k -> k.channel().isOpen()).count());
  }

  static void poll(Selector sel, int[] acked, int[] subscribed, long ms) throws Exception {
    if (ms == 0) {
      sel.selectNow();
    } else {
      sel.select(ms);
    }
    for (SelectionKey k : sel.selectedKeys()) {
      SocketChannel ch = (SocketChannel) k.channel();
      ByteBuffer b = (ByteBuffer) k.attachment();
      int n;
      try {
        n = ch.read(b);
      } catch (java.io.IOException e) {
        n = -1;
      }
      if (n < 0) {
        k.cancel();
        ch.close();
        continue;
      }
      // CONNACK 20 02 00 00, then SUBACK 90 03 00 01 01
      b.flip();
      while (b.remaining() >= 2) {
        int type = b.get(b.position()) & 0xF0;
        int len = b.get(b.position() + 1);
        if (b.remaining() < 2 + len) {
          break;
        }
        if (type == 0x20 && b.get(b.position() + 3) == 0) {
          acked[0]++;
        } else if (type == 0x90 && b.get(b.position() + 4) == 1) {
          subscribed[0]++;
        }
        b.position(b.position() + 2 + len);
      }
      b.compact();
    }
    sel.selectedKeys().clear();
  }

  static byte[] connect(String clientId, String user, String password) {
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    str(v, "MQTT");
    v.write(4);
    v.write(0xC2); // username, password, clean session
    v.write(600 >> 8);
    v.write(600 & 0xFF);
    str(v, clientId);
    str(v, user);
    str(v, password);
    return packet(0x10, v.toByteArray());
  }

  static byte[] subscribe(String filter) {
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    v.write(0);
    v.write(1);
    str(v, filter);
    v.write(1);
    return packet(0x82, v.toByteArray());
  }

  static void str(ByteArrayOutputStream o, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    o.write(b.length >> 8);
    o.write(b.length & 0xFF);
    o.write(b, 0, b.length);
  }

  static byte[] packet(int header, byte[] body) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(header);
    int len = body.length;
    do {
      int d = len % 128;
      len /= 128;
      o.write(len > 0 ? d | 0x80 : d);
    } while (len > 0);
    o.write(body, 0, body.length);
    return o.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}

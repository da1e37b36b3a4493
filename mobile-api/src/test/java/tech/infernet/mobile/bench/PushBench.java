package tech.infernet.mobile.bench;

import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.Message;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import tech.infernet.mobile.push.FcmPushSender;
import tech.infernet.mobile.push.LocalFcmServer;
import tech.infernet.mobile.push.PushMessage;
import tech.infernet.mobile.push.PushOutcome;

/**
 * Benchmark (not a test): pushes/s through firebase-admin's own HTTP transport (sendEachAsync,
 * one FCM v1 request per message) to the local FCM server, which checks every request's shape.
 * Arguments: messages (default 20000), batch size (default 500, the SDK's maximum), batches in
 * flight (default 4), rounds (default 3; the first warms up). Each round runs both of the SDK's
 * transports, one after the other: HTTP/1.1 ({@code NetHttpTransport}, to a plain-HTTP server) and
 * HTTP/2 ({@code ApacheHttp2Transport}, the SDK's default for FCM, to an HTTPS/h2 server).
 */
public final class PushBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int inflight = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    LocalFcmServer h1 = new LocalFcmServer(vertx, true);
    LocalFcmServer h2 = new LocalFcmServer(vertx, true,
        io.vertx.core.net.SelfSignedCertificate.create("fcm.googleapis.com"));
    FirebaseApp h1App = h1.app("push-bench-h1");
    FirebaseApp h2App = h2.appHttp2("push-bench-h2");
    FcmPushSender h1Sender = new FcmPushSender(h1App, Duration.ofHours(1));
    FcmPushSender h2Sender = new FcmPushSender(h2App, Duration.ofHours(1));
    for (int r = 1; r <= rounds; r++) {
      round("HTTP/1.1", r, h1, h1Sender, n, batch, inflight);
      round("HTTP/2", r, h2, h2Sender, n, batch, inflight);
    }
    h1App.delete();
    h2App.delete();
    h1.close();
    h2.close();
    vertx.close().await();
  }

  private static void round(String transport, int r, LocalFcmServer fcm, FcmPushSender sender, int n, int batch,
      int inflight) throws Exception {
    fcm.accepted.clear();
    long h2Before = fcm.http2Requests.get();
    Semaphore window = new Semaphore(inflight);
    List<CompletableFuture<List<PushOutcome>>> all = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i += batch) {
      int size = Math.min(batch, n - i);
      List<String> tokens = new ArrayList<>(size);
      List<Message> msgs = new ArrayList<>(size);
      for (int j = 0; j < size; j++) {
        String token = "bench-token-" + (i + j) + "-APA91bExampleExampleExample";
        tokens.add(token);
        msgs.add(sender.message(token, new PushMessage("job-" + ((i + j) % 1000), "running", i + j + 1, false)));
      }
      window.acquire();
      CompletableFuture<List<PushOutcome>> f = sender.sendMessages(tokens, msgs);
      f.whenComplete((x, t) -> window.release());
      all.add(f);
    }
    long sent = 0;
    PushOutcome failed = null;
    for (CompletableFuture<List<PushOutcome>> f : all) {
      for (PushOutcome o : f.join()) {
        if (o.kind() == PushOutcome.Kind.SENT) {
          sent++;
        } else if (failed == null) {
          failed = o;
        }
      }
    }
    if (failed != null) {
      System.out.println("  first failure: " + failed.kind() + " " + failed.detail());
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("round %d %-8s: %d pushes in %.2f s = %.0f pushes/s (sent %d, server accepted %d over HTTP/2 %d,"
        + " shape violations %d)%n", r, transport, n, secs, n / secs, sent, fcm.accepted.size(),
        fcm.http2Requests.get() - h2Before, fcm.violations.size());
  }
}

package tech.infernet.mobile.push;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.firebase.FirebaseApp;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.BatchResponse;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.SendResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Pushes through firebase-admin ({@code sendEachAsync}, one FCM v1 request per token): data-only
 * messages with {@code jobId}, {@code status}, {@code eventId}; the job id as collapse key (Android
 * {@code collapse_key}, APNs {@code apns-collapse-id}); a TTL; Android priority high only for
 * terminal states; APNs as a background push ({@code content-available}, priority 5, as Apple
 * requires for those). Errors are mapped to {@link PushOutcome} by FCM's error code.
 */
public final class FcmPushSender implements PushSender {
  /** firebase-admin's own limit for one {@code sendEach} call. */
  public static final int MAX_BATCH = 500;

  private final FirebaseMessaging messaging;
  private final Duration ttl;

  public FcmPushSender(FirebaseApp app, Duration ttl) {
    this.messaging = FirebaseMessaging.getInstance(app);
    this.ttl = ttl;
  }

  /** The FCM message for one token: exactly what goes to Google. */
  public Message message(String token, PushMessage m) {
    long ttlSeconds = Math.max(0, ttl.toSeconds());
    return Message.builder()
        .setToken(token)
        .putData("jobId", m.jobId())
        .putData("status", m.status())
        .putData("eventId", Long.toString(m.eventId()))
        .setAndroidConfig(AndroidConfig.builder()
            .setCollapseKey(m.jobId())
            .setPriority(m.terminal() ? AndroidConfig.Priority.HIGH : AndroidConfig.Priority.NORMAL)
            .setTtl(ttlSeconds * 1000)
            .build())
        .setApnsConfig(ApnsConfig.builder()
            .putHeader("apns-collapse-id", m.jobId())
            .putHeader("apns-push-type", "background")
            .putHeader("apns-priority", "5")
            .putHeader("apns-expiration", Long.toString(System.currentTimeMillis() / 1000 + ttlSeconds))
            .setAps(Aps.builder().setContentAvailable(true).build())
            .build())
        .build();
  }

  @Override
  public CompletableFuture<List<PushOutcome>> send(List<String> tokens, PushMessage m) {
    if (tokens.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<CompletableFuture<List<PushOutcome>>> parts = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i += MAX_BATCH) {
      List<String> part = tokens.subList(i, Math.min(tokens.size(), i + MAX_BATCH));
      List<Message> msgs = new ArrayList<>(part.size());
      for (String t : part) {
        msgs.add(message(t, m));
      }
      parts.add(batch(part, msgs));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<PushOutcome> out = new ArrayList<>(tokens.size());
      parts.forEach(p -> out.addAll(p.join()));
      return out;
    });
  }

  /** Sends prepared messages (one per token, same order); for callers that batch many events. */
  public CompletableFuture<List<PushOutcome>> sendMessages(List<String> tokens, List<Message> msgs) {
    return batch(tokens, msgs);
  }

  private CompletableFuture<List<PushOutcome>> batch(List<String> tokens, List<Message> msgs) {
    CompletableFuture<List<PushOutcome>> f = new CompletableFuture<>();
    ApiFuture<BatchResponse> api = messaging.sendEachAsync(msgs);
    ApiFutures.addCallback(api, new ApiFutureCallback<>() {
      @Override
      public void onSuccess(BatchResponse r) {
        List<PushOutcome> out = new ArrayList<>(tokens.size());
        List<SendResponse> rs = r.getResponses();
        for (int i = 0; i < tokens.size(); i++) {
          SendResponse s = rs.get(i);
          out.add(s.isSuccessful() ? PushOutcome.sent(tokens.get(i)) : classify(tokens.get(i), s.getException()));
        }
        f.complete(out);
      }

      @Override
      public void onFailure(Throwable t) {
        List<PushOutcome> out = new ArrayList<>(tokens.size());
        for (String token : tokens) {
          out.add(t instanceof FirebaseMessagingException e ? classify(token, e)
              : new PushOutcome(token, PushOutcome.Kind.RETRY, -1, String.valueOf(t)));
        }
        f.complete(out);
      }
    }, MoreExecutors.directExecutor());
    return f;
  }

  /** FCM's error contract. */
  static PushOutcome classify(String token, FirebaseMessagingException e) {
    MessagingErrorCode code = e.getMessagingErrorCode();
    String detail = code != null ? code.name() : String.valueOf(e.getErrorCode());
    if (code != null) {
      switch (code) {
        case UNREGISTERED, SENDER_ID_MISMATCH:
          return new PushOutcome(token, PushOutcome.Kind.DROP_TOKEN, -1, detail);
        case INVALID_ARGUMENT:
          return new PushOutcome(token, PushOutcome.Kind.INVALID, -1, detail + ": " + e.getMessage());
        case QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL:
          return new PushOutcome(token, PushOutcome.Kind.RETRY, retryAfterMs(e.getHttpResponse()), detail);
        case THIRD_PARTY_AUTH_ERROR:
          return new PushOutcome(token, PushOutcome.Kind.AUTH_ERROR, -1, detail);
        default:
          break;
      }
    }
    // No FCM code: fall back on the platform error (e.g. a 500 without details, or an I/O error).
    return switch (e.getErrorCode()) {
      case UNAVAILABLE, INTERNAL, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, UNKNOWN ->
          new PushOutcome(token, PushOutcome.Kind.RETRY, retryAfterMs(e.getHttpResponse()), detail);
      case INVALID_ARGUMENT -> new PushOutcome(token, PushOutcome.Kind.INVALID, -1, detail);
      // A 401/403 whose FCM code the SDK could not keep (it refreshes credentials and retries on
      // 401 first): either our service account or the project's APNs/Web Push credentials are
      // wrong. Either way only the operator can fix it.
      case UNAUTHENTICATED, PERMISSION_DENIED -> new PushOutcome(token, PushOutcome.Kind.AUTH_ERROR, -1, detail);
      case NOT_FOUND -> new PushOutcome(token, PushOutcome.Kind.DROP_TOKEN, -1, detail);
      default -> new PushOutcome(token, PushOutcome.Kind.FAILED, -1, detail + ": " + e.getMessage());
    };
  }

  /** Retry-After in delay-seconds (the form FCM uses), or -1. */
  static long retryAfterMs(IncomingHttpResponse r) {
    if (r == null) {
      return -1;
    }
    for (Map.Entry<String, Object> h : r.getHeaders().entrySet()) {
      if (h.getKey() != null && h.getKey().equalsIgnoreCase("retry-after")) {
        Object v = h.getValue();
        String s = v instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0)) : String.valueOf(v);
        try {
          long secs = Long.parseLong(s.strip());
          return secs < 0 ? -1 : Math.min(secs, 3600) * 1000;
        } catch (NumberFormatException ex) {
          return -1;
        }
      }
    }
    return -1;
  }
}

package tech.infernet.protocol.message;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;

/**
 * The one-time link an agent prints for pairing (also as a QR code):
 * {@code infernet://pair?agent=<NKN address>&secret=<base64url>&expires=<epoch ms>}. A client that
 * presents the secret in a {@link PairRequest} before {@code expires} is added to the agent's
 * permission list with the role chosen when the link was made.
 */
public record PairingUri(String agentAddress, String secret, long expiresMs) {
  private static final Pattern ADDRESS = Pattern.compile("(?:[A-Za-z0-9_-]{1,64}\\.)?[0-9a-f]{64}");

  public PairingUri {
    if (agentAddress == null || !ADDRESS.matcher(agentAddress).matches()) {
      throw new IllegalArgumentException("agent: an NKN address, [identifier.]<64 hex digits>");
    }
    Ids.secret(secret, "secret");
    if (expiresMs <= 0) {
      throw new IllegalArgumentException("expires: a positive epoch time in ms");
    }
  }

  /** The agent's Ed25519 public key: the hex part of its address. */
  public String agentPublicKeyHex() {
    return agentAddress.substring(agentAddress.length() - 64);
  }

  public static PairingUri parse(String text) throws ProtocolException {
    try {
      URI uri = new URI(text.trim());
      if (!"infernet".equals(uri.getScheme()) || !"pair".equals(uri.getHost()) || uri.getRawQuery() == null) {
        throw new ProtocolException(ErrorCode.PAIR_INVALID, "not a pairing link: infernet://pair?agent=...&secret=...&expires=...");
      }
      Map<String, String> query = new HashMap<>();
      for (String part : uri.getRawQuery().split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          query.put(part.substring(0, eq), part.substring(eq + 1));
        }
      }
      return new PairingUri(query.get("agent"), query.get("secret"), Long.parseLong(query.getOrDefault("expires", "0")));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.PAIR_INVALID, "bad pairing link: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "infernet://pair?agent=" + agentAddress + "&secret=" + secret + "&expires=" + expiresMs;
  }
}

package tech.infernet.agent.cli;

import io.nayuki.qrcodegen.QrCode;

/**
 * Draws a QR code for a terminal with Unicode half blocks (two modules per character row), dark
 * modules as spaces on a light frame, so that phones scan it from a dark-themed terminal too.
 */
final class TerminalQr {
  private static final int QUIET_ZONE = 2;

  private TerminalQr() {}

  static String render(String text) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    StringBuilder out = new StringBuilder();
    int size = qr.size;
    for (int y = -QUIET_ZONE; y < size + QUIET_ZONE; y += 2) {
      for (int x = -QUIET_ZONE; x < size + QUIET_ZONE; x++) {
        boolean top = dark(qr, x, y);
        boolean bottom = dark(qr, x, y + 1);
        out.append(top ? (bottom ? ' ' : '\u2584') : (bottom ? '\u2580' : '\u2588'));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static boolean dark(QrCode qr, int x, int y) {
    return x >= 0 && y >= 0 && x < qr.size && y < qr.size && qr.getModule(x, y);
  }
}

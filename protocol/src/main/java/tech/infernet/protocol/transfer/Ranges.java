package tech.infernet.protocol.transfer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;

/**
 * Sorted, disjoint, non-adjacent ranges of chunk indexes, each {@code [first, last]} inclusive:
 * the compact "which chunks I have" of a resume. JSON: {@code [[0,9],[12,12]]}.
 */
public record Ranges(List<Range> ranges) {
  /** At most this many ranges in one message. */
  public static final int MAX_RANGES = 4096;

  /** Chunks {@code first..last}, inclusive. */
  public record Range(int first, int last) {
    public Range {
      if (first < 0 || last < first) {
        throw new IllegalArgumentException("a range is 0 <= first <= last");
      }
    }
  }

  public Ranges {
    ranges = List.copyOf(ranges);
    for (int i = 1; i < ranges.size(); i++) {
      if (ranges.get(i).first() <= ranges.get(i - 1).last() + 1) {
        throw new IllegalArgumentException("ranges must be sorted, disjoint and not adjacent");
      }
    }
  }

  public static final Ranges NONE = new Ranges(List.of());

  static Ranges of(BitSet bits, int count) {
    List<Range> out = new ArrayList<>();
    for (int i = bits.nextSetBit(0); i >= 0 && i < count; ) {
      int end = Math.min(bits.nextClearBit(i), count);
      out.add(new Range(i, end - 1));
      i = bits.nextSetBit(end);
    }
    return new Ranges(out);
  }

  public List<Object> toTree() {
    List<Object> out = new ArrayList<>();
    for (Range r : ranges) {
      out.add(List.of((long) r.first(), (long) r.last()));
    }
    return out;
  }

  public static Ranges fromTree(Object tree) throws ProtocolException {
    if (!(tree instanceof List<?> l) || l.size() > MAX_RANGES) {
      throw new ProtocolException(ErrorCode.MALFORMED, "ranges are an array of at most " + MAX_RANGES + " [first,last] pairs");
    }
    List<Range> out = new ArrayList<>();
    for (Object o : l) {
      if (!(o instanceof List<?> p) || p.size() != 2 || !(p.get(0) instanceof Long a) || !(p.get(1) instanceof Long b)
          || a < 0 || b < a || b > Integer.MAX_VALUE) {
        throw new ProtocolException(ErrorCode.MALFORMED, "each range is [first,last] with 0 <= first <= last");
      }
      out.add(new Range(a.intValue(), b.intValue()));
    }
    try {
      return new Ranges(out);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.MALFORMED, e.getMessage());
    }
  }
}

package tech.infernet.agent.engine;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import tech.infernet.agent.jobs.JobId;

/**
 * Queued jobs, fair between owners: owners take turns (round robin); within one owner higher
 * priority first, then oldest first. Not thread-safe: used from the dispatch thread only.
 */
final class FairQueue {
  /** A queued job; {@code job} is the row as queued (null in tests of the order alone). */
  record Entry(JobId id, String owner, int priority, boolean gpu, tech.infernet.agent.jobs.Job job) {
    Entry(JobId id, String owner, int priority, boolean gpu) {
      this(id, owner, priority, gpu, null);
    }
  }

  private static final Comparator<Entry> ORDER = Comparator.comparingInt((Entry e) -> -e.priority())
      .thenComparing(Entry::id);
  private final Map<String, PriorityQueue<Entry>> byOwner = new HashMap<>();
  private final ArrayDeque<String> turn = new ArrayDeque<>();
  private int size;

  void add(Entry e) {
    PriorityQueue<Entry> q = byOwner.get(e.owner());
    if (q == null) {
      q = new PriorityQueue<>(ORDER);
      byOwner.put(e.owner(), q);
      turn.addLast(e.owner());
    }
    q.add(e);
    size++;
  }

  boolean remove(JobId id) {
    for (Iterator<Map.Entry<String, PriorityQueue<Entry>>> it = byOwner.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, PriorityQueue<Entry>> me = it.next();
      if (me.getValue().removeIf(e -> e.id().equals(id))) {
        size--;
        if (me.getValue().isEmpty()) {
          it.remove();
          turn.remove(me.getKey());
        }
        return true;
      }
    }
    return false;
  }

  /**
   * Takes the head job of the first owner in turn whose head may run now; that owner goes to the
   * back of the line. Owners whose head cannot run keep their place.
   */
  Entry poll(Predicate<Entry> mayRun) {
    for (Iterator<String> it = turn.iterator(); it.hasNext(); ) {
      String owner = it.next();
      PriorityQueue<Entry> q = byOwner.get(owner);
      Entry head = q.peek();
      if (head != null && mayRun.test(head)) {
        q.poll();
        size--;
        it.remove();
        if (q.isEmpty()) {
          byOwner.remove(owner);
        } else {
          turn.addLast(owner);
        }
        return head;
      }
    }
    return null;
  }

  int size() {
    return size;
  }
}

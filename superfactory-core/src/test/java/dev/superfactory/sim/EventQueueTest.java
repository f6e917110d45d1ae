package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The twin's event queue: events pop in time order, same-second events in kind order, then
 * payload order; every field is range-checked on push, the offending value in the message, and a
 * rejected push leaves the queue as it was.
 */
class EventQueueTest {
  /** One popped event, decoded: "time kind payload". */
  private static String pop(EventQueue q) {
    long time = q.peekTime();
    long key = q.pop();
    return time + " " + EventQueue.kind(key) + " " + EventQueue.payload(key);
  }

  private static List<String> drain(EventQueue q) {
    List<String> out = new ArrayList<>();
    while (!q.isEmpty()) {
      out.add(pop(q));
    }
    return out;
  }

  /**
   * Pushed in a scrambled order; popped: second 10 before second 20; within second 10, FINISH
   * (ordinal 0) before REPAIR (1) before FAILURE (4), and the two FINISH events by payload, 3
   * before 7; the payload never outranks the kind (FAILURE 0 after FINISH 7) nor the kind the time
   * (FINISH at 20 after FAILURE at 10).
   */
  @Test
  void eventsPopByTimeThenKindThenPayload() {
    EventQueue q = new EventQueue();
    q.push(20, EventKind.FINISH, 1);
    q.push(10, EventKind.FAILURE, 0);
    q.push(10, EventKind.FINISH, 7);
    q.push(10, EventKind.REPAIR, 0);
    q.push(10, EventKind.FINISH, 3);
    assertThat(q.size()).isEqualTo(5);
    assertThat(q.peekTime()).isEqualTo(10);
    assertThat(drain(q)).containsExactly("10 FINISH 3", "10 FINISH 7", "10 REPAIR 0", "10 FAILURE 0", "20 FINISH 1");
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.peekTime()).isEqualTo(Long.MAX_VALUE);
  }

  /** Each field at both ends of its range comes back intact: none spills into its neighbour. */
  @Test
  void theLargestTimeKindAndPayloadRoundTrip() {
    EventQueue q = new EventQueue();
    EventKind last = EventKind.values()[EventKind.values().length - 1];
    q.push(EventQueue.MAX_TIME, last, EventQueue.MAX_PAYLOAD);
    q.push(EventQueue.MAX_TIME, EventKind.FINISH, 0);
    q.push(0, last, EventQueue.MAX_PAYLOAD);
    q.push(0, EventKind.FINISH, 0);
    assertThat(EventQueue.MAX_TIME).isEqualTo(2_147_483_647L); // 2^31 − 1 s: 68 years
    assertThat(EventQueue.MAX_PAYLOAD).isEqualTo(268_435_455); // 2^28 − 1
    assertThat(drain(q)).containsExactly("0 FINISH 0", "0 " + last + " 268435455", "2147483647 FINISH 0",
        "2147483647 " + last + " 268435455");
  }

  @Test
  void aTimeOutOfRangeIsRefusedWithTheTime() {
    EventQueue q = new EventQueue();
    assertThatThrownBy(() -> q.push(-1, EventKind.FINISH, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event time -1 s").hasMessageContaining("0..2147483647");
    assertThatThrownBy(() -> q.push(EventQueue.MAX_TIME + 1, EventKind.REPAIR, 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event time 2147483648 s");
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void aPayloadOutOfRangeIsRefusedWithThePayloadAndItsKind() {
    EventQueue q = new EventQueue();
    assertThatThrownBy(() -> q.push(5, EventKind.DETECTED, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event payload -1 (DETECTED)").hasMessageContaining("0..268435455");
    assertThatThrownBy(() -> q.push(5, EventKind.FINISH, EventQueue.MAX_PAYLOAD + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event payload 268435456 (FINISH)");
    assertThat(q.isEmpty()).isTrue();
  }

  /**
   * A kind cannot be out of range on push (an {@link EventKind}, whose ordinals the class checks
   * fit 4 bits); a key whose kind bits name no kind (15 of 6) fails to decode, naming the ordinal,
   * and a null kind is refused without enqueuing anything.
   */
  @Test
  void aKindOutOfRangeFailsWithItsOrdinal() {
    long key = 15L << EventQueue.PAYLOAD_BITS;
    assertThatThrownBy(() -> EventQueue.kind(key)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("15");
    EventQueue q = new EventQueue();
    assertThatThrownBy(() -> q.push(5, null, 0)).isInstanceOf(NullPointerException.class);
    assertThat(q.isEmpty()).isTrue();
  }

  /** Beyond the horizon an event never happens: dropped, not refused; a negative time is still refused. */
  @Test
  void pushIfInRangeDropsEventsPastTheHorizonOnly() {
    EventQueue q = new EventQueue();
    q.pushIfInRange(EventQueue.MAX_TIME + 1, EventKind.FINISH, 1);
    q.pushIfInRange(Long.MAX_VALUE, EventKind.FINISH, 2);
    assertThat(q.isEmpty()).isTrue();
    q.pushIfInRange(EventQueue.MAX_TIME, EventKind.FINISH, 3);
    assertThat(drain(q)).containsExactly("2147483647 FINISH 3");
    assertThatThrownBy(() -> q.pushIfInRange(-5, EventKind.FINISH, 4)).hasMessageContaining("event time -5 s");
  }
}

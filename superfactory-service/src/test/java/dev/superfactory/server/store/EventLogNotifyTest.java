package dev.superfactory.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the event listener is told of committed appends: one notification per tenant of a
 * transaction, carrying that tenant's newest seq, never one per row, and nothing for a rollback.
 */
class EventLogNotifyTest extends EmbeddedDatabaseTestBase {

    private final BlockingQueue<String> told = new LinkedBlockingQueue<>();
    private long before;

    @BeforeEach
    void tenants() {
        TenantStore tenants = new TenantStore(database.dataSource());
        tenants.create("a", "A");
        tenants.create("b", "B");
        before = new EventLog(database.dataSource()).newestSeq();
    }

    @Test
    void aBatchOfRowsIsOneNotificationPerTenantWithItsNewestSeq() throws Exception {
        try (EventListener listener = listen()) {
            Jdbc.inTransaction(database.dataSource(), c -> {
                EventLog.appendRows(c, new String[] {"a", "b", "a", null, "a", "b"}, new long[6], new long[6],
                        new String[] {"t", "t", "t", "t", "t", "t"},
                        new String[] {"{}", "{}", "{}", "{}", "{}", "{}"});
                return null;
            });
            Jdbc.inTransaction(database.dataSource(), c -> EventLog.append(c, "b", 0, 0, "t", Map.of()));
            List<String> first = List.of(next(), next(), next());
            assertThat(first).containsExactlyInAnyOrder(seq(5) + " a", seq(6) + " b", seq(4) + " null");
            assertThat(next()).isEqualTo(seq(7) + " b");
            assertThat(told.poll(300, TimeUnit.MILLISECONDS)).as("no notification per row").isNull();
        }
    }

    @Test
    void aRolledBackAppendIsNeverTold() throws Exception {
        try (EventListener listener = listen()) {
            try {
                Jdbc.inTransaction(database.dataSource(), c -> {
                    EventLog.appendRows(c, new String[] {"a"}, new long[1], new long[1], new String[] {"t"},
                            new String[] {"{}"});
                    throw new IllegalStateException("roll back");
                });
            } catch (IllegalStateException expected) {
                // the transaction rolled back
            }
            Jdbc.inTransaction(database.dataSource(), c -> EventLog.append(c, "a", 0, 0, "t", Map.of()));
            assertThat(next()).isEqualTo(seq(2) + " a");
        }
    }

    private EventListener listen() throws InterruptedException {
        BlockingQueue<Boolean> connected = new LinkedBlockingQueue<>();
        EventListener listener = EventListener.start(EventListener.dedicatedTo(database.dataSource()),
                new EventListener.Subscriber() {
                    @Override
                    public void appended(long seq, String tenant) {
                        told.add(seq + " " + tenant);
                    }

                    @Override
                    public void mayHaveMissed() {
                        connected.add(true);
                    }
                });
        assertThat(connected.poll(10, TimeUnit.SECONDS)).as("listener connected").isTrue();
        return listener;
    }

    /** The seq of the n-th append of the test (1-based). */
    private long seq(int n) {
        return before + n;
    }

    private String next() throws InterruptedException {
        String n = told.poll(10, TimeUnit.SECONDS);
        assertThat(n).as("a notification within 10 s").isNotNull();
        return n;
    }
}

package dev.superfactory.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JobStore#submitBatch}: one transaction, per-job idempotency, all or nothing on a conflict. */
class JobStoreBatchTest extends EmbeddedDatabaseTestBase {

    private static final String SPEC = "{\"gpus\": 64, \"runSeconds\": 3600}";

    private JobStore jobs;

    @BeforeEach
    void tenants() {
        jobs = new JobStore(database.dataSource());
        new TenantStore(database.dataSource()).create("acme", "Acme");
    }

    @Test
    void aBatchCreatesEveryJobInOrderWithOneEventEachInTheSameOrder() {
        List<Submission> result = jobs.submitBatch("acme", batch("a", "b", "c"));
        assertThat(result).extracting(s -> s.job().clientId()).containsExactly("a", "b", "c");
        assertThat(result).allMatch(Submission::created);
        List<Long> ids = result.stream().map(s -> s.job().id()).toList();
        assertThat(ids).isSorted();
        List<Event> events = allEvents().stream().filter(e -> e.job() != 0).toList();
        assertThat(events).extracting(Event::job).containsExactlyElementsOf(ids);
        assertThat(events).extracting(Event::type).containsOnly("job.submitted");
        assertThat(events.get(1).payloadJson()).isEqualTo("{\"clientId\": \"b\"}");
    }

    @Test
    void aRetriedBatchReturnsTheSameJobsAndWritesNothing() {
        Job existing = jobs.submit("acme", "b", SPEC).job();
        List<Submission> first = jobs.submitBatch("acme", batch("a", "b", "c"));
        assertThat(first).extracting(Submission::created).containsExactly(true, false, true);
        assertThat(first.get(1).job()).isEqualTo(existing);
        long events = count("SELECT count(*) FROM event_log");
        List<Submission> retry = jobs.submitBatch("acme", batch("a", "b", "c"));
        assertThat(retry).extracting(Submission::created).containsExactly(false, false, false);
        assertThat(retry).extracting(Submission::job).containsExactlyElementsOf(first.stream().map(Submission::job).toList());
        assertThat(List.of(count("SELECT count(*) FROM jobs"), count("SELECT count(*) FROM event_log")))
                .containsExactly(3L, events);
    }

    @Test
    void aClientIdReusedWithAnotherSpecFailsTheWholeBatch() {
        Job existing = jobs.submit("acme", "b", "{\"gpus\": 8}").job();
        long events = count("SELECT count(*) FROM event_log");
        assertThatThrownBy(() -> jobs.submitBatch("acme", batch("a", "b", "c")))
                .isInstanceOf(ConflictException.class)
                .hasMessage("clientId b of tenant acme is already used by job " + existing.id() + " with a different spec");
        assertThat(List.of(count("SELECT count(*) FROM jobs"), count("SELECT count(*) FROM event_log")))
                .containsExactly(1L, events);
    }

    @Test
    void anUnknownTenantEmptyBatchOrRepeatedClientIdIsRefused() {
        assertThatThrownBy(() -> jobs.submitBatch("nobody", batch("a"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> jobs.submitBatch("acme", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> jobs.submitBatch("acme", batch("a", "b", "a")))
                .hasMessage("jobs 0 and 2 share clientId a");
        assertThat(count("SELECT count(*) FROM jobs")).isZero();
    }

    @Test
    void concurrentOverlappingBatchesCreateEachClientIdOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Submission>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t * 10;
                results.add(pool.submit(() -> jobs.submitBatch("acme", range(offset, offset + 40))));
            }
            int created = 0;
            for (Future<List<Submission>> r : results) {
                created += (int) r.get().stream().filter(Submission::created).count();
            }
            assertThat(created).isEqualTo(110);
            assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(110);
            assertThat(count("SELECT count(*) FROM event_log WHERE job IS NOT NULL")).isEqualTo(110);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<NewJob> batch(String... clientIds) {
        return java.util.Arrays.stream(clientIds).map(id -> new NewJob(id, SPEC)).toList();
    }

    private static List<NewJob> range(int from, int to) {
        List<NewJob> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(new NewJob("k" + i, SPEC));
        }
        return batch;
    }
}

package dev.superfactory.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs of several callers in one transaction ({@link MultiSubmit}, {@link JobStore#submit}'s group
 * commit): each job gets the outcome it would get alone, and one bad job fails alone.
 */
class MultiSubmitTest extends EmbeddedDatabaseTestBase {

    private static final String SPEC = "{\"gpus\": 64}";

    @BeforeEach
    void tenants() {
        TenantStore tenants = new TenantStore(database.dataSource());
        tenants.create("acme", "Acme");
        tenants.create("zeta", "Zeta");
    }

    @Test
    void eachJobOfAMixedGroupGetsTheOutcomeItWouldGetAlone() {
        Job taken = new JobStore(database.dataSource()).submit("acme", "taken", SPEC).job();
        List<MultiSubmit.Request> group = List.of(request("acme", "new", SPEC), request("nobody", "x", SPEC),
                request("acme", "taken", "{\"gpus\": 8}"), request("zeta", "new", SPEC), request("acme", "taken", SPEC),
                request("acme", "new", SPEC));
        List<MultiSubmit.Outcome> outcomes = Jdbc.inTransaction(database.dataSource(),
                c -> MultiSubmit.run(c, group, () -> { }));
        assertThat(outcomes.get(0).submission().created()).isTrue();
        assertThat(outcomes.get(1).failure()).isInstanceOf(NotFoundException.class).hasMessage("no tenant nobody");
        assertThat(outcomes.get(2).failure()).isInstanceOf(ConflictException.class)
                .hasMessage("clientId taken of tenant acme is already used by job " + taken.id() + " with a different spec");
        assertThat(outcomes.get(3).submission().job().tenant()).isEqualTo("zeta");
        assertThat(outcomes.get(4).submission()).isEqualTo(new Submission(taken, false));
        assertThat(outcomes.get(5).submission()).isEqualTo(new Submission(outcomes.get(0).submission().job(), false));
        assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'job.submitted'")).isEqualTo(3);
    }

    @Test
    void aJobThatBreaksItsGroupsTransactionFailsAloneAndTheOthersCommit() throws Exception {
        CountDownLatch leaderInside = new CountDownLatch(1);
        CountDownLatch othersQueued = new CountDownLatch(1);
        JobStore jobs = new JobStore(database.dataSource(), () -> {
            if (leaderInside.getCount() > 0) {
                leaderInside.countDown();
                awaitQuietly(othersQueued);
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<Submission> leader = pool.submit(() -> jobs.submit("acme", "leader", SPEC));
            assertThat(leaderInside.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Submission> good1 = pool.submit(() -> jobs.submit("acme", "good-1", SPEC));
            Future<Submission> bad = pool.submit(() -> jobs.submit("acme", "bad", "{not json"));
            Future<Submission> good2 = pool.submit(() -> jobs.submit("acme", "good-2", SPEC));
            Thread.sleep(200); // the three callers queue behind the leader's transaction
            othersQueued.countDown();
            assertThat(List.of(leader.get(), good1.get(), good2.get())).allMatch(Submission::created);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(bad::get))
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(3);
            assertThat(count("SELECT count(*) FROM event_log WHERE type = 'job.submitted'")).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentSingleSubmitsShareTransactions() throws Exception {
        JobStore jobs = new JobStore(database.dataSource());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Submission>> results = new ArrayList<>();
            for (int i = 0; i < 800; i++) {
                String clientId = "c" + i;
                String tenant = i % 2 == 0 ? "acme" : "zeta";
                results.add(pool.submit(() -> jobs.submit(tenant, clientId, SPEC)));
            }
            for (Future<Submission> r : results) {
                assertThat(r.get().created()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(800);
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'job.submitted'")).isEqualTo(800);
        assertThat(jobs.submitTransactions()).isLessThan(800);
    }

    private static MultiSubmit.Request request(String tenant, String clientId, String spec) {
        return new MultiSubmit.Request(tenant, new NewJob(clientId, spec));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

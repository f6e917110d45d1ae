package dev.superfactory.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobStoreTest extends EmbeddedDatabaseTestBase {

    private static final String SPEC = "{\"gpus\": 64, \"runSeconds\": 3600}";

    private JobStore jobs;

    @BeforeEach
    void tenants() {
        jobs = new JobStore(database.dataSource());
        TenantStore tenants = new TenantStore(database.dataSource());
        tenants.create("acme", "Acme");
        tenants.create("zeta", "Zeta");
    }

    @Test
    void submitCreatesASubmittedJobAtVersionOneWithOneSubmittedEvent() {
        Submission s = jobs.submit("acme", "train-1", SPEC);
        assertThat(s.created()).isTrue();
        assertThat(s.job().state()).isEqualTo(JobState.SUBMITTED);
        assertThat(s.job().version()).isEqualTo(1);
        assertThat(s.job().specJson()).isEqualTo(SPEC);
        assertThat(jobs.get("acme", s.job().id())).contains(s.job());
        List<Event> events = jobEvents();
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).extracting(Event::type, Event::tenant, Event::job)
                .containsExactly("job.submitted", "acme", s.job().id());
    }

    @Test
    void aRetryWithTheSameClientIdReturnsTheSameJobAndWritesNothing() {
        Job first = jobs.submit("acme", "train-1", SPEC).job();
        Submission retry = jobs.submit("acme", "train-1", SPEC);
        assertThat(retry.created()).isFalse();
        assertThat(retry.job()).isEqualTo(first);
        assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(1);
        assertThat(jobEvents()).hasSize(1);
    }

    @Test
    void aClientIdReusedForADifferentSpecIsAConflictAndWritesNothing() {
        Job first = jobs.submit("acme", "train-1", SPEC).job();
        assertThatThrownBy(() -> jobs.submit("acme", "train-1", "{\"gpus\": 8}"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("clientId train-1 of tenant acme is already used by job " + first.id() + " with a different spec");
        assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(1);
        assertThat(jobEvents()).hasSize(1);
    }

    @Test
    void theSameClientIdInAnotherTenantIsAnotherJob() {
        Job acme = jobs.submit("acme", "train-1", SPEC).job();
        Submission zeta = jobs.submit("zeta", "train-1", SPEC);
        assertThat(zeta.created()).isTrue();
        assertThat(zeta.job().id()).isNotEqualTo(acme.id());
    }

    @Test
    void eightConcurrentRetriesOfEachSubmitCreateExactlyOneJob() throws Exception {
        int threads = 8;
        int keys = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int k = 0; k < keys; k++) {
                List<Submission> results = submitTogether(pool, threads, "retry-" + k);
                assertThat(results).filteredOn(Submission::created).hasSize(1);
                assertThat(results).extracting(r -> r.job().id()).containsOnly(results.get(0).job().id());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(keys);
        assertThat(jobEvents()).hasSize(keys);
    }

    private List<Submission> submitTogether(ExecutorService pool, int threads, String clientId) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Submission>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Callable<Submission> submit = () -> {
                go.await();
                return jobs.submit("acme", clientId, SPEC);
            };
            futures.add(pool.submit(submit));
        }
        go.countDown();
        List<Submission> results = new ArrayList<>();
        for (Future<Submission> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    @Test
    void aFailureBetweenTheJobInsertAndItsEventLeavesNothing() {
        JobStore failing = new JobStore(database.dataSource(), () -> {
            throw new IllegalStateException("injected failure");
        });
        assertThatThrownBy(() -> failing.submit("acme", "train-1", SPEC)).hasMessage("injected failure");
        assertThat(count("SELECT count(*) FROM jobs")).isZero();
        assertThat(jobEvents()).isEmpty();
        assertThat(jobs.submit("acme", "train-1", SPEC).created()).isTrue();
    }

    @Test
    void submitRefusesAnUnknownTenantAndASpecThatIsNotAJsonObject() {
        assertThatThrownBy(() -> jobs.submit("nobody", "c", SPEC)).isInstanceOf(NotFoundException.class)
                .hasMessage("no tenant nobody");
        assertThatThrownBy(() -> jobs.submit("acme", "c", "{gpus: 1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid value");
        assertThatThrownBy(() -> jobs.submit("acme", "c", "[1, 2]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobs_spec_check");
        assertThatThrownBy(() -> jobs.submit("acme", " ", SPEC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clientId is missing or blank: ' '");
        assertThat(count("SELECT count(*) FROM jobs")).isZero();
    }

    @Test
    void anotherTenantsJobIsNotFoundByGetAndCannotBeTransitioned() {
        Job job = jobs.submit("acme", "train-1", SPEC).job();
        assertThat(jobs.get("zeta", job.id())).isEmpty();
        assertThatThrownBy(() -> jobs.transition("zeta", job.id(), JobState.SUBMITTED, JobState.QUEUED, 1))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("tenant zeta has no job " + job.id());
        assertThat(jobs.get("acme", job.id())).contains(job);
        assertThat(jobEvents()).hasSize(1);
    }

    @Test
    void listPagesByKeysetAndShowsOnlyTheTenantsJobs() {
        List<Long> acmeIds = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            acmeIds.add(jobs.submit("acme", "a" + i, SPEC).job().id());
            jobs.submit("zeta", "z" + i, SPEC);
        }
        List<Long> seen = new ArrayList<>();
        Page page = Page.first(10);
        int pages = 0;
        while (true) {
            Page.Of<Job> result = jobs.list("acme", Set.of(), page);
            pages++;
            result.items().forEach(j -> seen.add(j.id()));
            assertThat(result.items()).extracting(Job::tenant).containsOnly("acme");
            if (result.next().isEmpty()) {
                break;
            }
            page = new Page(result.next().getAsLong(), 10);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(acmeIds);
    }

    @Test
    void listFiltersByState() {
        Job a = jobs.submit("acme", "a", SPEC).job();
        Job b = jobs.submit("acme", "b", SPEC).job();
        jobs.submit("acme", "c", SPEC);
        jobs.transition("acme", a.id(), JobState.SUBMITTED, JobState.QUEUED, 1);
        jobs.transition("acme", b.id(), JobState.SUBMITTED, JobState.CANCELLED, 1);
        assertThat(jobs.list("acme", EnumSet.of(JobState.QUEUED, JobState.CANCELLED), Page.first(10)).items())
                .extracting(Job::id).containsExactly(a.id(), b.id());
        assertThat(jobs.list("acme", EnumSet.of(JobState.SUBMITTED), Page.first(10)).items()).hasSize(1);
        assertThat(jobs.list("zeta", Set.of(), Page.first(10)).items()).isEmpty();
    }

    @Test
    void aLegalTransitionBumpsTheVersionAndAppendsOneStateEvent() {
        Job job = jobs.submit("acme", "train-1", SPEC).job();
        Job queued = jobs.transition("acme", job.id(), JobState.SUBMITTED, JobState.QUEUED, 1);
        Job admitted = jobs.transition("acme", job.id(), JobState.QUEUED, JobState.ADMITTED, 2);
        assertThat(admitted.state()).isEqualTo(JobState.ADMITTED);
        assertThat(admitted.version()).isEqualTo(3);
        assertThat(queued.updated()).isAfterOrEqualTo(job.created());
        List<Event> events = jobEvents();
        assertThat(events).extracting(Event::type).containsExactly("job.submitted", "job.state", "job.state");
        assertThat(events.get(2).payloadJson()).isEqualTo("{\"to\": \"admitted\", \"from\": \"queued\", \"version\": 3}");
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() {
        Job job = jobs.submit("acme", "train-1", SPEC).job();
        jobs.transition("acme", job.id(), JobState.SUBMITTED, JobState.QUEUED, 1);
        assertThatThrownBy(() -> jobs.transition("acme", job.id(), JobState.QUEUED, JobState.ADMITTED, 1))
                .isInstanceOf(ConflictException.class)
                .hasMessage("job " + job.id() + " is queued at version 2, not queued at version 1");
        assertThatThrownBy(() -> jobs.transition("acme", job.id(), JobState.SUBMITTED, JobState.QUEUED, 2))
                .isInstanceOf(ConflictException.class)
                .hasMessage("job " + job.id() + " is queued at version 2, not submitted at version 2");
        assertThat(jobs.get("acme", job.id()).orElseThrow().version()).isEqualTo(2);
        assertThat(jobEvents()).hasSize(2);
    }

    @Test
    void anIllegalTransitionIsAConflictAndChangesNothing() {
        Job job = jobs.submit("acme", "train-1", SPEC).job();
        assertThatThrownBy(() -> jobs.transition("acme", job.id(), JobState.SUBMITTED, JobState.RUNNING, 1))
                .isInstanceOf(ConflictException.class)
                .hasMessage("job " + job.id() + ": submitted → running is not a legal transition");
        jobs.transition("acme", job.id(), JobState.SUBMITTED, JobState.CANCELLED, 1);
        assertThatThrownBy(() -> jobs.transition("acme", job.id(), JobState.CANCELLED, JobState.QUEUED, 2))
                .isInstanceOf(ConflictException.class);
        assertThat(jobs.get("acme", job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(jobEvents()).hasSize(2);
    }

    @Test
    void jobStatesFollowIssueElevenItemThree() {
        assertThat(JobState.SUBMITTED.canBecome(JobState.QUEUED)).isTrue();
        assertThat(JobState.QUEUED.canBecome(JobState.ADMITTED)).isTrue();
        assertThat(JobState.ADMITTED.canBecome(JobState.RUNNING)).isTrue();
        assertThat(JobState.RUNNING.canBecome(JobState.PREEMPTING)).isTrue();
        assertThat(JobState.PREEMPTING.canBecome(JobState.QUEUED)).isTrue();
        assertThat(JobState.RUNNING.canBecome(JobState.LOST)).isTrue();
        assertThat(JobState.LOST.canBecome(JobState.QUEUED)).isTrue();
        assertThat(JobState.LOST.canBecome(JobState.FAILED)).isTrue();
        assertThat(JobState.QUEUED.canBecome(JobState.RUNNING)).isFalse();
        assertThat(EnumSet.allOf(JobState.class)).filteredOn(JobState::isTerminal)
                .containsExactlyInAnyOrder(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED);
    }

    @Test
    void everyCommittedChangeHasExactlyOneEventInCommitOrder() {
        Job a = jobs.submit("acme", "a", SPEC).job();
        Job z = jobs.submit("zeta", "z", SPEC).job();
        jobs.submit("acme", "a", SPEC);
        jobs.transition("acme", a.id(), JobState.SUBMITTED, JobState.QUEUED, 1);
        assertThatThrownBy(() -> jobs.transition("acme", a.id(), JobState.SUBMITTED, JobState.QUEUED, 1))
                .isInstanceOf(ConflictException.class);
        jobs.transition("zeta", z.id(), JobState.SUBMITTED, JobState.FAILED, 1);

        List<Event> all = allEvents();
        assertThat(all).extracting(Event::type).containsExactly("tenant.created", "tenant.created",
                "job.submitted", "job.submitted", "job.state", "job.state");
        assertThat(all).extracting(Event::seq).isSorted().doesNotHaveDuplicates();
        assertThat(all).extracting(Event::time).isSorted();
        assertThat(count("SELECT sum(version) FROM jobs")).isEqualTo(count("SELECT count(*) FROM event_log WHERE job IS NOT NULL"));
    }

    @Test
    void eventsAreReadSinceASequenceNumberAndATenantSeesOnlyItsOwn() {
        Job a = jobs.submit("acme", "a", SPEC).job();
        jobs.submit("zeta", "z", SPEC);
        jobs.transition("acme", a.id(), JobState.SUBMITTED, JobState.QUEUED, 1);
        EventLog log = new EventLog(database.dataSource());

        List<Event> acme = log.since(0, Principal.tenant("acme"), 100);
        assertThat(acme).extracting(Event::tenant).containsOnly("acme");
        assertThat(acme).extracting(Event::type).containsExactly("tenant.created", "job.submitted", "job.state");
        assertThat(log.since(acme.get(1).seq(), Principal.tenant("acme"), 100)).containsExactly(acme.get(2));
        assertThat(log.since(0, Principal.operator(), 2)).extracting(Event::seq).containsExactly(1L, 2L);
        assertThat(log.since(0, Principal.operator(), 100)).hasSize(5);
        assertThatThrownBy(() -> log.since(0, Principal.operator(), 0)).hasMessage("limit=0 is not within 1..1000");
    }

    @Test
    void ofTwoConcurrentTransitionsFromTheSameVersionExactlyOneWins() throws Exception {
        Job job = jobs.submit("acme", "train-1", SPEC).job();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<JobState> cancel = pool.submit(() -> transitionAfter(go, job, JobState.CANCELLED));
            Future<JobState> queue = pool.submit(() -> transitionAfter(go, job, JobState.QUEUED));
            go.countDown();
            List<JobState> outcomes = java.util.Arrays.asList(cancel.get(), queue.get());
            assertThat(outcomes).filteredOn(s -> s != null).hasSize(1);
            Job after = jobs.get("acme", job.id()).orElseThrow();
            assertThat(outcomes).contains(after.state());
            assertThat(after.version()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jobEvents()).hasSize(2);
    }

    /** The state reached, or null if the transition lost to the other one. */
    private JobState transitionAfter(CountDownLatch go, Job job, JobState to) throws InterruptedException {
        go.await();
        try {
            return jobs.transition("acme", job.id(), JobState.SUBMITTED, to, 1).state();
        } catch (ConflictException lost) {
            return null;
        }
    }

    @Test
    void aReaderFollowingTheLogWithConcurrentWritersNeverSkipsAnEvent() throws Exception {
        int writers = 4;
        int jobsEach = 150;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String prefix = "w" + w + "-";
            done.add(pool.submit(() -> {
                for (int i = 0; i < jobsEach; i++) {
                    jobs.submit("acme", prefix + i, SPEC);
                }
            }));
        }
        EventLog log = new EventLog(database.dataSource());
        List<Long> followed = new ArrayList<>();
        long last = 0;
        while (true) {
            boolean writersDone = done.stream().allMatch(Future::isDone);
            List<Event> batch = log.since(last, Principal.operator(), 100);
            for (Event e : batch) {
                followed.add(e.seq());
                last = e.seq();
            }
            if (writersDone && batch.isEmpty()) {
                break;
            }
        }
        pool.shutdown();
        for (Future<?> f : done) {
            f.get();
        }
        assertThat(followed).isEqualTo(allEvents().stream().map(Event::seq).toList());
    }

    private static List<Event> jobEvents() {
        return allEvents().stream().filter(e -> e.job() != 0).toList();
    }
}

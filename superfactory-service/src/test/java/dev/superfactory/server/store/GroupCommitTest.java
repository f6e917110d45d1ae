package dev.superfactory.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupCommit} without a database: callers that arrive while a group commits go together
 * in the next one, each gets its own outcome, and a failed group fails only its own callers.
 */
class GroupCommitTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void callersArrivingDuringACommitShareTheNextOneAndEachGetsItsOwnOutcome() throws Exception {
        CountDownLatch firstCommitting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> committed = new CopyOnWriteArrayList<>();
        GroupCommit<Integer, String> groups = new GroupCommit<>(requests -> {
            committed.add(requests);
            if (committed.size() == 1) {
                firstCommitting.countDown();
                await(release);
            }
            return requests.stream().map(r -> "done " + r).toList();
        }, e -> "failed");
        Future<String> first = pool.submit(() -> groups.submit(0));
        assertThat(firstCommitting.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<String>> others = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int request = i;
            others.add(pool.submit(() -> groups.submit(request)));
        }
        awaitParked(5);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("done 0");
        for (int i = 1; i <= 5; i++) {
            assertThat(others.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo("done " + i);
        }
        assertThat(committed).hasSize(2);
        assertThat(committed.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(groups.groups()).isEqualTo(2);
    }

    @Test
    void aGroupThatThrowsFailsItsCallersAndTheNextGroupStillCommits() throws Exception {
        GroupCommit<Integer, String> groups = new GroupCommit<>(requests -> {
            if (requests.contains(13)) {
                throw new IllegalStateException("unlucky");
            }
            return requests.stream().map(r -> "done " + r).toList();
        }, e -> "failed: " + e.getMessage());
        assertThat(pool.submit(() -> groups.submit(13)).get(10, TimeUnit.SECONDS)).isEqualTo("failed: unlucky");
        assertThat(pool.submit(() -> groups.submit(14)).get(10, TimeUnit.SECONDS)).isEqualTo("done 14");
        assertThat(groups.groups()).isEqualTo(1);
    }

    @Test
    void manyConcurrentCallersAllGetTheirOutcome() throws Exception {
        GroupCommit<Integer, Integer> groups = new GroupCommit<>(requests -> {
            sleepMillis(1);
            return requests.stream().map(r -> r * 2).toList();
        }, e -> -1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int request = i;
            results.add(pool.submit(() -> groups.submit(request)));
        }
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(2 * i);
        }
        assertThat(groups.groups()).isLessThan(2_000);
    }

    /** Waits until {@code n} of the pool's threads are parked (WAITING) in GroupCommit.submit. */
    private static void awaitParked(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (parked() < n) {
            assertThat(System.nanoTime()).as("%d callers parked in time", n).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static long parked() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getState() == Thread.State.WAITING)
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(GroupCommit.class.getName())
                        && f.getMethodName().equals("submit")))
                .count();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

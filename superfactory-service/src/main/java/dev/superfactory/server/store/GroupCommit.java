package dev.superfactory.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit of single submits: callers that arrive while a transaction is being committed wait,
 * and the next transaction commits all of them together (up to {@link #MAX_GROUP}); each caller
 * returns only after the transaction holding its job has committed, with its own outcome. Why:
 * the event log's lock is held from the append to the end of the commit, WAL flush included
 * ({@link EventLog}), so one transaction per submit caps submits at one WAL flush each, whatever
 * the pool size; a group pays one flush for all its jobs (PostgreSQL flushes the WAL of concurrent
 * commits together, but that lock keeps submits from committing concurrently). Leader/follower, no thread of its own: the first caller to find
 * no transaction running commits the queue, the others park until their outcome is set or the
 * leader hands on.
 *
 * <p>Cost: one lock-free enqueue per caller; one transaction per group, so under load the
 * latency of a submit is about two transactions and the throughput is the group size per
 * transaction.
 */
final class GroupCommit<R, O> {

    /** ASSUMPTION: 500 jobs per transaction bound the statement and the wait of the last of them. */
    static final int MAX_GROUP = 500;

    private static final class Waiter<R, O> {
        final R request;
        final Thread thread = Thread.currentThread();
        volatile O outcome;

        Waiter(R request) {
            this.request = request;
        }
    }

    private final Queue<Waiter<R, O>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock leader = new ReentrantLock();
    private final Function<List<R>, List<O>> commit;
    private final Function<RuntimeException, O> failed;
    private long groups;

    /**
     * {@code commit} commits a group and returns one outcome per request, in order; if it throws,
     * every request of the group gets {@code failed} of the exception.
     */
    GroupCommit(Function<List<R>, List<O>> commit, Function<RuntimeException, O> failed) {
        this.commit = commit;
        this.failed = failed;
    }

    /** Returns the outcome of {@code request} once the transaction holding it has ended. */
    O submit(R request) {
        Waiter<R, O> me = new Waiter<>(request);
        queue.add(me);
        boolean interrupted = false;
        while (me.outcome == null) {
            if (leader.tryLock()) {
                try {
                    while (me.outcome == null) {
                        commitNextGroup();
                    }
                } finally {
                    leader.unlock();
                }
                wakeNextLeader();
            } else {
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // a set flag would make park return at once: restore it at the end
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return me.outcome;
    }

    /** Transactions committed so far (for tests and measurements). */
    long groups() {
        leader.lock();
        try {
            return groups;
        } finally {
            leader.unlock();
        }
    }

    private void commitNextGroup() {
        List<Waiter<R, O>> group = new ArrayList<>();
        for (Waiter<R, O> w; group.size() < MAX_GROUP && (w = queue.poll()) != null; ) {
            group.add(w);
        }
        List<O> outcomes = null;
        try {
            outcomes = commit.apply(group.stream().map(w -> w.request).toList());
            groups++;
        } catch (RuntimeException e) {
            O failure = failed.apply(e);
            outcomes = group.stream().map(w -> failure).toList();
        } finally {
            for (int i = 0; i < group.size(); i++) {
                Waiter<R, O> w = group.get(i);
                w.outcome = outcomes != null ? outcomes.get(i)
                        : failed.apply(new StoreException("the group commit failed with an error (see the log)"));
                LockSupport.unpark(w.thread);
            }
        }
    }

    /** The caller at the head of the queue leads the next group (it may have parked while this one ran). */
    private void wakeNextLeader() {
        Waiter<R, O> next = queue.peek();
        if (next != null) {
            LockSupport.unpark(next.thread);
        }
    }
}

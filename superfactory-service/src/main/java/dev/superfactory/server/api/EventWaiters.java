package dev.superfactory.server.api;

import dev.superfactory.server.store.Principal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Callers waiting for the next event they may see (long-polls and idle event streams), woken by
 * the event listener's notifications: a tenant's waiter only by its own tenant's events, an
 * operator's by every event. At most {@code capacity} wait at once; one more is refused with 503.
 * A wake-up is a hint, not a delivery: the woken caller queries the log again, so a spurious or
 * broad wake-up ({@link #wakeAll}) costs a query, never a wrong answer.
 *
 * <p>Cost: register and cancel are O(1) concurrent-set operations; a wake-up is O(waiters woken).
 */
final class EventWaiters implements AutoCloseable {

    /** ASSUMPTION: 1,000 waiting callers fit a 2-core host (each is a future and a parked request, no thread). */
    static final int DEFAULT_CAPACITY = 1_000;
    /** What a refused caller is told to wait before retrying. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final int capacity;
    private final Set<Waiter> operators = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Waiter>> byTenant = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean closed;

    EventWaiters(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be at least 1");
        }
        this.capacity = capacity;
    }

    /** One caller's wait: {@link #signal} completes with true when woken; {@link #cancel} when done waiting. */
    final class Waiter {
        private final CompletableFuture<Boolean> signal = new CompletableFuture<>();
        private final Set<Waiter> home;

        private Waiter(Set<Waiter> home) {
            this.home = home;
        }

        CompletableFuture<Boolean> signal() {
            return signal;
        }

        /** Leaves the waiters (idempotent; a woken waiter has left already). */
        void cancel() {
            if (home.remove(this)) {
                waiting.decrementAndGet();
            }
        }
    }

    /**
     * Registers a wait for {@code who}'s next event. Register before querying the log, so an
     * event that commits between the query and the wait still wakes it.
     *
     * @throws ApiException 503 when {@code capacity} callers wait already or the server is stopping
     */
    Waiter register(Principal who) {
        if (closed) {
            throw ApiException.unavailable("the server is stopping", RETRY_AFTER_SECONDS);
        }
        if (waiting.incrementAndGet() > capacity) {
            waiting.decrementAndGet();
            throw ApiException.unavailable(capacity + " callers wait for events already; retry in "
                    + RETRY_AFTER_SECONDS + " s or call without waitSeconds", RETRY_AFTER_SECONDS);
        }
        Set<Waiter> home = who.tenant().map(t -> byTenant.computeIfAbsent(t, k -> ConcurrentHashMap.newKeySet()))
                .orElse(operators);
        Waiter waiter = new Waiter(home);
        home.add(waiter);
        return waiter;
    }

    /** An event of {@code tenant} (null: fleet-wide, which only operators see) committed. */
    void wake(String tenant) {
        wake(operators);
        if (tenant != null) {
            Set<Waiter> ofTenant = byTenant.get(tenant);
            if (ofTenant != null) {
                wake(ofTenant);
            }
        }
    }

    /** Events may have committed unannounced: every waiter looks again. */
    void wakeAll() {
        wake(operators);
        byTenant.values().forEach(this::wake);
    }

    /** How many callers wait now. */
    int waiting() {
        return waiting.get();
    }

    boolean closed() {
        return closed;
    }

    private void wake(Set<Waiter> waiters) {
        for (Waiter waiter : waiters) {
            if (waiters.remove(waiter)) {
                waiting.decrementAndGet();
                waiter.signal.complete(true);
            }
        }
    }

    /** Refuses new waiters and wakes every current one (they find the server stopping). */
    @Override
    public void close() {
        closed = true;
        wakeAll();
    }
}

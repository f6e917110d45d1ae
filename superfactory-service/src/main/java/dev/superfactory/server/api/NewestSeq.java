package dev.superfactory.server.api;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The event log's newest seq for the {@code /metrics} gauge, kept without a query per scrape: each
 * notification of the event listener raises it, and a read at least {@value #REFRESH_MILLIS} ms
 * after the last query re-reads the log (which also corrects it after missed notifications).
 * Cost: an atomic max per notification; at most one query per second however often it is read.
 */
final class NewestSeq implements LongSupplier {

    private static final long REFRESH_MILLIS = 1_000;

    private final LongSupplier query;
    private final AtomicLong newest = new AtomicLong();
    private final AtomicLong queriedAtNanos = new AtomicLong(Long.MIN_VALUE);

    NewestSeq(LongSupplier query) {
        this.query = query;
    }

    /** An append of {@code seq} committed. */
    void observe(long seq) {
        newest.accumulateAndGet(seq, Math::max);
    }

    @Override
    public long getAsLong() {
        long now = System.nanoTime();
        long last = queriedAtNanos.get();
        boolean stale = last == Long.MIN_VALUE || now - last >= TimeUnit.MILLISECONDS.toNanos(REFRESH_MILLIS);
        if (stale && queriedAtNanos.compareAndSet(last, now)) {
            newest.set(query.getAsLong());
        }
        return newest.get();
    }
}

package dev.superfactory.server.live;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock in whole seconds that only the test moves (never backwards). Thread-safe. */
final class FakeClock extends Clock {

    private volatile long epochSeconds;

    FakeClock(long epochSeconds) {
        this.epochSeconds = epochSeconds;
    }

    /** Moves the clock to {@code seconds}, which must not be earlier than now. */
    void set(long seconds) {
        if (seconds < epochSeconds) {
            throw new IllegalArgumentException("the clock cannot go back from " + epochSeconds + " to " + seconds);
        }
        epochSeconds = seconds;
    }

    long seconds() {
        return epochSeconds;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochSecond(epochSeconds);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a fake clock is UTC only");
    }
}

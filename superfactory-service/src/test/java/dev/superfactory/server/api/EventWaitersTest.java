package dev.superfactory.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.server.store.Principal;
import org.junit.jupiter.api.Test;

class EventWaitersTest {

    private final EventWaiters waiters = new EventWaiters(3);

    @Test
    void aTenantsWaiterIsWokenOnlyByItsOwnTenantsEventsAndAnOperatorsByEvery() {
        EventWaiters.Waiter a = waiters.register(Principal.tenant("a"));
        EventWaiters.Waiter b = waiters.register(Principal.tenant("b"));
        EventWaiters.Waiter operator = waiters.register(Principal.operator());

        waiters.wake("a");
        assertThat(a.signal()).isCompletedWithValue(true);
        assertThat(b.signal()).isNotDone();
        assertThat(operator.signal()).isCompletedWithValue(true);
        assertThat(waiters.waiting()).isEqualTo(1);

        EventWaiters.Waiter operatorAgain = waiters.register(Principal.operator());
        waiters.wake(null); // fleet-wide: operators only
        assertThat(b.signal()).isNotDone();
        assertThat(operatorAgain.signal()).isDone();
        waiters.wakeAll();
        assertThat(b.signal()).isDone();
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void beyondCapacityARegistrationIs503WithRetryAfterAndACancelFreesASlot() {
        EventWaiters.Waiter first = waiters.register(Principal.tenant("a"));
        waiters.register(Principal.tenant("a"));
        waiters.register(Principal.operator());
        assertThatThrownBy(() -> waiters.register(Principal.tenant("b")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(503);
                    assertThat(e.problem().type()).isEqualTo("unavailable");
                    assertThat(e.retryAfterSeconds()).isEqualTo(EventWaiters.RETRY_AFTER_SECONDS);
                });
        first.cancel();
        first.cancel(); // idempotent: frees one slot, not two
        assertThat(waiters.waiting()).isEqualTo(2);
        waiters.register(Principal.tenant("b"));
        assertThatThrownBy(() -> waiters.register(Principal.tenant("b"))).isInstanceOf(ApiException.class);
    }

    @Test
    void closeWakesEveryWaiterAndRefusesNewOnes() {
        EventWaiters.Waiter a = waiters.register(Principal.tenant("a"));
        waiters.close();
        assertThat(a.signal()).isCompletedWithValue(true);
        assertThatThrownBy(() -> waiters.register(Principal.tenant("a"))).isInstanceOf(ApiException.class)
                .hasMessageContaining("stopping");
    }
}

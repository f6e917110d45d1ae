package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.superfactory.server.store.SchedulerStore.ShardTime;
import dev.superfactory.workload.Contract;
import dev.superfactory.workload.Tenant;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Usage priced by the contract version in force, hand-worked. Window [0 h, 10 h); one shard of 16
 * GPUs from 2 h to 8 h. Version 1 (reserved 8 at $2/GPU-hour, on demand $3) until 5 h, then
 * version 2 (reserved 16 at $1, on demand $4).
 * <ul>
 *   <li>[0, 2): nothing held; reservation 8 × 2 h × $2 = $32.
 *   <li>[2, 5): 16 held, 8 reserved: own 24, borrowed 24 GPU-hours; reservation 8 × 3 × $2 = $48;
 *       on demand 24 × $3 = $72.
 *   <li>[5, 8): 16 held, 16 reserved: own 48; reservation 16 × 3 × $1 = $48.
 *   <li>[8, 10): nothing held; reservation 16 × 2 × $1 = $32.
 * </ul>
 * Total: 96 GPU-hours (72 own, 24 borrowed); reserved $160 + on demand $72 = $232.
 */
class UsageReportTest {

    private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
    private static final List<ShardTime> SHARD = List.of(new ShardTime("atlanta", 16, at(2), at(8)));

    @Test
    void eachStretchOfTheWindowIsPricedByTheContractInForceThen() {
        UsageReport u = UsageReport.of("a", List.of(new UsageReport.Priced(at(0), terms(8, 2, 3)),
                new UsageReport.Priced(at(5), terms(16, 1, 4))), SHARD, at(0), at(10));
        assertHandWorked(u);
    }

    @Test
    void aContractInForceBeforeTheWindowPricesItsStart() {
        UsageReport u = UsageReport.of("a", List.of(new UsageReport.Priced(at(-5), terms(8, 2, 3)),
                new UsageReport.Priced(at(5), terms(16, 1, 4))), SHARD, at(0), at(10));
        assertHandWorked(u);
    }

    @Test
    void aContractChangedAfterTheWindowDoesNotReachBackIntoIt() {
        UsageReport u = UsageReport.of("a", List.of(new UsageReport.Priced(at(0), terms(8, 2, 3)),
                new UsageReport.Priced(at(12), terms(16, 1, 4))), SHARD, at(0), at(10));
        // own 8 × 6 = 48, borrowed 48; reserved 8 × 10 × $2 = $160; on demand 48 × $3 = $144
        assertThat(u.ownGpuHours()).isCloseTo(48, within(1e-9));
        assertThat(u.borrowedGpuHours()).isCloseTo(48, within(1e-9));
        assertThat(u.reservedUsd()).isCloseTo(160, within(1e-9));
        assertThat(u.onDemandUsd()).isCloseTo(144, within(1e-9));
        assertThat(u.reservedGpus()).isEqualTo(8);
    }

    /**
     * The first contract (reserved 8 at $2, on demand $3) from 1 h: nothing is reserved or priced
     * before it. [1, 2): reservation 8 × 1 × $2 = $16; [2, 8): own 48, borrowed 48, reservation
     * 8 × 6 × $2 = $96, on demand 48 × $3 = $144; [8, 10): reservation 8 × 2 × $2 = $32.
     */
    @Test
    void nothingIsReservedOrPricedBeforeTheFirstContract() {
        UsageReport u = UsageReport.of("a", List.of(new UsageReport.Priced(at(1), terms(8, 2, 3))), SHARD, at(0), at(10));
        assertThat(u.ownGpuHours()).isCloseTo(48, within(1e-9));
        assertThat(u.borrowedGpuHours()).isCloseTo(48, within(1e-9));
        assertThat(u.reservedUsd()).isCloseTo(144, within(1e-9));
        assertThat(u.onDemandUsd()).isCloseTo(144, within(1e-9));
        UsageReport none = UsageReport.of("a", List.of(), List.of(), at(0), at(10));
        assertThat(List.of(none.gpuHours(), none.reservedUsd(), none.totalUsd())).containsOnly(0.0);
        assertThat(none.reservedGpus()).isZero();
    }

    private static void assertHandWorked(UsageReport u) {
        assertThat(u.gpuHours()).isCloseTo(96, within(1e-9));
        assertThat(u.gpuHoursBySite()).containsOnlyKeys("atlanta");
        assertThat(u.ownGpuHours()).isCloseTo(72, within(1e-9));
        assertThat(u.borrowedGpuHours()).isCloseTo(24, within(1e-9));
        assertThat(u.reservedUsd()).isCloseTo(160, within(1e-9));
        assertThat(u.onDemandUsd()).isCloseTo(72, within(1e-9));
        assertThat(u.totalUsd()).isCloseTo(232, within(1e-9));
        assertThat(u.reservedGpus()).isEqualTo(16);
    }

    private static Tenant terms(int reserved, double reservedUsd, double onDemandUsd) {
        return new Tenant("a", "A", 64, new Contract(reserved, 600, 64 - reserved, false, 0, true, -1L, 1.0,
                reservedUsd, onDemandUsd, false));
    }

    private static Instant at(double hours) {
        return T0.plusSeconds(Math.round(hours * 3600));
    }
}

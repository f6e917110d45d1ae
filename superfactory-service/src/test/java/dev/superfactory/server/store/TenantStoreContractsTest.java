package dev.superfactory.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which contract versions price a usage window: the one in force at its start and every later one before its end. */
class TenantStoreContractsTest extends EmbeddedDatabaseTestBase {

    private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
    private TenantStore tenants;

    @BeforeEach
    void threeVersions() {
        tenants = new TenantStore(database.dataSource());
        tenants.create("a", "A");
        tenants.create("b", "B");
        tenants.addContract("a", "{\"v\": 1}", at(0));
        tenants.addContract("a", "{\"v\": 2}", at(10));
        tenants.addContract("a", "{\"v\": 3}", at(20));
        tenants.addContract("b", "{\"v\": 1}", at(5));
    }

    @Test
    void aWindowGetsTheVersionInForceAtItsStartAndEveryLaterOneBeforeItsEnd() {
        assertThat(versions("a", 12, 25)).containsExactly(2, 3);
        assertThat(versions("a", 10, 20)).containsExactly(2);
        assertThat(versions("a", 0, 30)).containsExactly(1, 2, 3);
        assertThat(versions("a", 25, 30)).containsExactly(3);
    }

    @Test
    void aWindowBeforeTheFirstVersionGetsTheFirstOnesInItAndNoneIfNoneIs() {
        assertThat(versions("a", -10, 15)).containsExactly(1, 2);
        assertThat(versions("a", -10, -5)).isEmpty();
        assertThat(versions("b", 0, 30)).containsExactly(1);
        assertThat(tenants.contractsBetween("a", at(12), at(25)).get(0).validFrom()).isEqualTo(at(10));
    }

    private List<Integer> versions(String tenant, int since, int until) {
        return tenants.contractsBetween(tenant, at(since), at(until)).stream().map(TenantStore.Version::version).toList();
    }

    private static Instant at(int hours) {
        return T0.plusSeconds(hours * 3600L);
    }
}

package dev.superfactory.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class DatabaseTest extends EmbeddedDatabaseTestBase {

    @Test
    void embeddedServerKeepsPostgresDefaultDurabilityAndListensOnLoopbackOnly() {
        assertThat(text("SHOW fsync")).isEqualTo("on");
        assertThat(text("SHOW synchronous_commit")).isEqualTo("on");
        assertThat(text("SHOW full_page_writes")).isEqualTo("on");
        assertThat(text("SHOW listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(text("SHOW unix_socket_directories")).isEmpty();
        assertThat(database.description()).startsWith("embedded PostgreSQL in " + dataDirectory).contains("127.0.0.1:");
    }

    @Test
    void schemaIsMigratedToTheLatestVersion() {
        assertThat(text("SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank) FROM flyway_schema_history"))
                .isEqualTo("1:true,2:true,3:true,4:true,5:true,6:true");
        assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN "
                + "('event_log', 'tenants', 'contracts', 'api_tokens', 'jobs', 'runs', 'shards', 'agents', 'control_plane', "
                + "'agent_commands', 'shard_reports')")).isEqualTo(11);
    }

    @Test
    void aSecondOpenOfARunningDataDirectoryIsRefusedNamingTheDirectory() {
        assertThatThrownBy(() -> Database.open(new DatabaseLocation.Embedded(dataDirectory)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(dataDirectory.toString())
                .hasMessageContaining("in use by another superfactory process");
    }

    @Test
    void theReplayOfPassesReadsThePassIndexNotTheWholeLog() {
        String plan = Jdbc.inTransaction(database.dataSource(), c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("SET LOCAL enable_seqscan = off"); // an empty table would be scanned whatever the indexes
                s.execute("SET LOCAL enable_bitmapscan = off"); // so: can the index alone give the passes in order?
                try (java.sql.ResultSet rs = s.executeQuery("EXPLAIN " + SchedulerStore.PASSES_IN_ORDER)) {
                    StringBuilder text = new StringBuilder();
                    while (rs.next()) {
                        text.append(rs.getString(1)).append('\n');
                    }
                    return text.toString();
                }
            }
        });
        assertThat(plan).contains("event_log_passes").doesNotContain("Sort");
    }

    @Test
    void anExternalUrlConnectsToThatServerAndFindsTheSchemaMigrated() {
        new TenantStore(database.dataSource()).create("acme", "Acme");
        String url = ((HikariDataSource) database.dataSource()).getJdbcUrl();
        try (Database external = Database.open(new DatabaseLocation.External(url))) {
            assertThat(external.description()).isEqualTo("PostgreSQL at " + url.substring(0, url.indexOf('?')) + "?…");
            assertThat(new JobStore(external.dataSource()).submit("acme", "c1", "{}").created()).isTrue();
        }
        assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM flyway_schema_history")).isEqualTo(6);
    }

    @Test
    void aPoolOpenedWithARegistryReportsItsConnectionsThere() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        String url = ((HikariDataSource) database.dataSource()).getJdbcUrl();
        try (Database external = Database.open(new DatabaseLocation.External(url), meters)) {
            new TenantStore(external.dataSource()).names();
            assertThat(meters.get("hikaricp.connections.max").tag("pool", "superfactory-store").gauge().value())
                    .isEqualTo(10.0);
            assertThat(meters.get("hikaricp.connections.usage").tag("pool", "superfactory-store").timer().count()).isPositive();
            assertThat(meters.get("hikaricp.connections.max").tag("pool", "superfactory-scheduler").gauge().value())
                    .isEqualTo(4.0);
        }
    }

    @Test
    void theDbOptionChoosesAnExternalServerElseTheEmbeddedOneInTheDataDirectory() {
        assertThat(DatabaseLocation.of(null, null)).isEqualTo(new DatabaseLocation.Embedded(java.nio.file.Path.of(".superfactory/data")));
        assertThat(DatabaseLocation.of(null, dataDirectory)).isEqualTo(new DatabaseLocation.Embedded(dataDirectory));
        assertThat(DatabaseLocation.of("jdbc:postgresql://db:5432/sf", dataDirectory))
                .isEqualTo(new DatabaseLocation.External("jdbc:postgresql://db:5432/sf"));
    }

    @Test
    void anExternalUrlThatIsNotPostgresIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> new DatabaseLocation.External("jdbc:mysql://db/x?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--db: 'jdbc:mysql://db/x?…' is not a PostgreSQL JDBC URL (jdbc:postgresql://HOST[:PORT]/DATABASE)");
    }

    @Test
    void anUnreachableExternalServerFailsNamingItWithoutThePassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/none?user=x&password=secret&connectTimeout=2";
        assertThatThrownBy(() -> Database.open(new DatabaseLocation.External(url)))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/none?…")
                .hasMessageNotContaining("secret");
    }

    @Test
    void theEventLogRefusesUpdateAndDelete() {
        new TenantStore(database.dataSource()).create("acme", "Acme");
        assertThatThrownBy(() -> count("WITH d AS (DELETE FROM event_log RETURNING 1) SELECT count(*) FROM d"))
                .hasMessageContaining("event_log is append-only: DELETE refused");
        assertThatThrownBy(() -> count("WITH u AS (UPDATE event_log SET type = 'x' RETURNING 1) SELECT count(*) FROM u"))
                .hasMessageContaining("event_log is append-only: UPDATE refused");
        assertThat(allEvents()).extracting(Event::type).containsExactly("tenant.created");
    }

    @Test
    void contractsAreVersionedPerTenant() {
        TenantStore tenants = new TenantStore(database.dataSource());
        tenants.create("acme", "Acme");
        tenants.create("zeta", "Zeta");
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
        assertThat(tenants.addContract("acme", "{\"gpus\": 100}", t0)).isEqualTo(1);
        assertThat(tenants.addContract("acme", "{\"gpus\": 200}", t0.plusSeconds(86_400))).isEqualTo(2);
        assertThat(tenants.addContract("zeta", "{\"gpus\": 8}", t0)).isEqualTo(1);
        assertThatThrownBy(() -> tenants.addContract("nobody", "{}", t0)).isInstanceOf(NotFoundException.class);
        assertThat(tenants.create("acme", "Acme again")).isFalse();
        assertThat(allEvents()).extracting(Event::type).containsExactly("tenant.created", "tenant.created",
                "contract.added", "contract.added", "contract.added");
        assertThat(allEvents().get(3).payloadJson()).contains("\"version\": 2");
    }
}

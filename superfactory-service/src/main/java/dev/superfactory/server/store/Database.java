package dev.superfactory.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The control plane's database: starts the embedded PostgreSQL or connects to an external one,
 * opens a HikariCP pool (auto-commit off: every store call is one explicit transaction), and
 * migrates the schema with Flyway ({@code db/migration}). {@link #close} closes the pool, then
 * stops the embedded server. Cost of open: see {@link EmbeddedServer}; migrating an up-to-date
 * schema is one query of Flyway's history table.
 */
public final class Database implements AutoCloseable {

    /** ASSUMPTION: 10 connections serve a 2-core host (PostgreSQL's own advice is about 2 × cores + disks). */
    private static final int POOL_SIZE = 10;
    /** ASSUMPTION: the scheduler thread, and the simulated agents' polls and reports, need a few connections at most. */
    private static final int SCHEDULER_POOL_SIZE = 4;

    private final EmbeddedServer server;
    private final HikariDataSource pool;
    private final HikariDataSource schedulerPool;
    private final String description;
    private final String jdbcUrl;

    private Database(EmbeddedServer server, HikariDataSource pool, HikariDataSource schedulerPool, String description,
                     String jdbcUrl) {
        this.server = server;
        this.pool = pool;
        this.schedulerPool = schedulerPool;
        this.description = description;
        this.jdbcUrl = jdbcUrl;
    }

    /**
     * Opens the database at {@code location} and brings its schema to the latest migration.
     *
     * @throws StoreException naming the data directory or URL if the server cannot start or be reached
     */
    public static Database open(DatabaseLocation location) {
        return open(location, null);
    }

    /**
     * As {@link #open(DatabaseLocation)}, and the pool reports to {@code meters} (HikariCP's
     * {@code hikaricp_connections_*} gauges and timers, tag {@code pool=superfactory-store}); none if null.
     */
    public static Database open(DatabaseLocation location, MeterRegistry meters) {
        if (location instanceof DatabaseLocation.External external) {
            return connect(null, external.jdbcUrl(), "PostgreSQL at " + external.redactedUrl(), meters);
        }
        DatabaseLocation.Embedded embedded = (DatabaseLocation.Embedded) location;
        EmbeddedServer server = startEmbedded(embedded);
        try {
            return connect(server, server.jdbcUrl(), "embedded PostgreSQL in " + embedded.dataDirectory()
                    + " on 127.0.0.1:" + server.port(), meters);
        } catch (RuntimeException e) {
            closeQuietly(server, e);
            throw e;
        }
    }

    private static EmbeddedServer startEmbedded(DatabaseLocation.Embedded embedded) {
        try {
            return EmbeddedServer.start(embedded.dataDirectory());
        } catch (IOException | IllegalStateException e) {
            throw new StoreException("cannot start the embedded PostgreSQL in " + embedded.dataDirectory()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Database connect(EmbeddedServer server, String jdbcUrl, String description, MeterRegistry meters) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(jdbcUrl, meters));
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + description + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                    .failOnMissingLocations(true).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("cannot migrate the schema of " + description + ": " + e.getMessage(), e);
        }
        HikariConfig own = poolConfig(jdbcUrl, meters);
        own.setPoolName("superfactory-scheduler");
        own.setMaximumPoolSize(SCHEDULER_POOL_SIZE);
        HikariDataSource schedulerPool;
        try {
            schedulerPool = new HikariDataSource(own);
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("cannot connect to " + description + ": " + e.getMessage(), e);
        }
        return new Database(server, pool, schedulerPool, description, jdbcUrl);
    }

    private static HikariConfig poolConfig(String jdbcUrl, MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        if (meters != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        }
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("superfactory-store");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setAutoCommit(false);
        config.setConnectionTimeout(10_000);
        return config;
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * A pool of its own for the scheduler thread and the agents' reports: however many HTTP
     * requests hold the main pool, a scheduling pass never waits for a connection.
     */
    public DataSource schedulerDataSource() {
        return schedulerPool;
    }

    /**
     * The JDBC URL the pool connects to. For the embedded server it has no password (the server
     * trusts connections from 127.0.0.1), so another process on this host can reach the same
     * database while this one holds the data directory ({@code superfactory token create}).
     */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** Where the data lives, for one line of a log or a status page (no password). */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        schedulerPool.close();
        pool.close();
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new StoreException("cannot stop the embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
    }

    private static void closeQuietly(EmbeddedServer server, RuntimeException cause) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}

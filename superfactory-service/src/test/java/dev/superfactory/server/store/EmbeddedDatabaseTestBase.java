package dev.superfactory.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real embedded PostgreSQL per test class (started once, stopped in {@link #stop}; zonky's
 * shutdown hook stops it if the JVM exits first), every table emptied before each test. Public for
 * the API tests in {@code dev.superfactory.server.api}.
 */
public abstract class EmbeddedDatabaseTestBase {

    @TempDir
    static Path dataDirectory;

    protected static Database database;

    @BeforeAll
    public static void start() {
        database = Database.open(new DatabaseLocation.Embedded(dataDirectory));
    }

    @AfterAll
    public static void stop() {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /** Empties every table; the append-only triggers are bypassed for this transaction only. */
    @BeforeEach
    public void emptyTables() {
        Jdbc.inTransaction(database.dataSource(), c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");
                s.execute("TRUNCATE event_log, shard_reports, agent_commands, control_plane, shards, runs, agents, jobs, api_tokens, contracts, tenants RESTART IDENTITY");
            }
            return null;
        });
    }

    protected static long count(String sql) {
        return Jdbc.inTransaction(database.dataSource(), c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    protected static String text(String sql) {
        return Jdbc.inTransaction(database.dataSource(), c -> queryText(c, sql));
    }

    static List<Event> allEvents() {
        return new EventLog(database.dataSource()).since(0, Principal.operator(), Page.MAX_LIMIT);
    }

    private static String queryText(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

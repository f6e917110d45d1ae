package dev.superfactory.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * One transaction per command: borrow a pooled connection (auto-commit off), run the work, commit,
 * or roll back on any exception so that nothing is half-written. Cost: one pool borrow (about a
 * microsecond) plus one round trip for the commit, which waits for the WAL flush (fsync) under
 * PostgreSQL's default durability.
 */
final class Jdbc {

    /** Work on one connection inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Jdbc() {
    }

    static <T> T inTransaction(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** A value the schema refuses (bad JSON, a failed CHECK) is the caller's error, anything else the database's. */
    private static RuntimeException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("22") || state.equals("23514")) {
            return new IllegalArgumentException("invalid value: " + e.getMessage(), e);
        }
        return new StoreException("database error (SQLState " + state + "): " + e.getMessage(), e);
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.from(instant);
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

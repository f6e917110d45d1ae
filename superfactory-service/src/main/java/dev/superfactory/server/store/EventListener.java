package dev.superfactory.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that LISTENs on {@link EventLog#CHANNEL} over its own connection (never one of the
 * pool's: a pooled connection would be held forever) and tells a {@link Subscriber} of every
 * committed append. If the connection drops it reconnects (backoff 0.1 s doubling to 2 s) and then
 * reports {@link Subscriber#mayHaveMissed}, since notifications sent while it was away are lost.
 *
 * <p>Cost: one idle backend; per notification one short string parse on this thread; the thread
 * wakes every {@value #POLL_MILLIS} ms when nothing arrives, to notice {@link #close}.
 */
public final class EventListener implements AutoCloseable {

    /** Told of appends on the listener thread: must not block. */
    public interface Subscriber {
        /** Event {@code seq} committed; {@code tenant} is null for a fleet-wide event. */
        void appended(long seq, String tenant);

        /** The listener (re)connected: events may have committed unannounced. */
        void mayHaveMissed();
    }

    /** Opens a new physical connection (not from a pool). */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /** The {@code application_name} of the listener's connection, as pg_stat_activity shows it. */
    public static final String APPLICATION_NAME = "superfactory-event-listener";
    private static final Logger LOG = LoggerFactory.getLogger(EventListener.class);
    private static final int POLL_MILLIS = 500;
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final ConnectionSource source;
    private final Subscriber subscriber;
    private final Thread thread;
    private volatile boolean closed;
    private volatile int connects;

    private EventListener(ConnectionSource source, Subscriber subscriber) {
        this.source = source;
        this.subscriber = subscriber;
        this.thread = new Thread(this::run, APPLICATION_NAME);
        this.thread.setDaemon(true);
    }

    /** Starts listening; the first connection is made on the new thread. */
    public static EventListener start(ConnectionSource source, Subscriber subscriber) {
        EventListener listener = new EventListener(source, subscriber);
        listener.thread.start();
        return listener;
    }

    /**
     * Dedicated connections to the database behind {@code dataSource}: for a HikariCP pool a new
     * driver connection with the pool's URL, user and password; any other data source is assumed
     * not to pool, so its {@code getConnection()} is already a new connection.
     */
    public static ConnectionSource dedicatedTo(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource pool) {
            return () -> {
                Properties properties = new Properties();
                properties.putAll(pool.getDataSourceProperties());
                putIfSet(properties, "user", pool.getUsername());
                putIfSet(properties, "password", pool.getPassword());
                properties.setProperty("ApplicationName", APPLICATION_NAME);
                return DriverManager.getConnection(pool.getJdbcUrl(), properties);
            };
        }
        return dataSource::getConnection;
    }

    /** How many times the listener has connected (1 after the first LISTEN; more after drops). */
    public int connects() {
        return connects;
    }

    private void run() {
        long backoffMillis = MIN_BACKOFF_MILLIS;
        while (!closed) {
            try (Connection connection = source.open()) {
                listen(connection);
                backoffMillis = MIN_BACKOFF_MILLIS;
                receive(connection.unwrap(PGConnection.class));
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                logLoss(e, backoffMillis);
                sleep(backoffMillis);
                backoffMillis = Math.min(2 * backoffMillis, MAX_BACKOFF_MILLIS);
            }
        }
    }

    /**
     * A first loss is routine (a restart, a server stopping with this process) and logged at info;
     * a failed reconnect is a warning.
     */
    private static void logLoss(Exception e, long backoffMillis) {
        if (backoffMillis == MIN_BACKOFF_MILLIS) {
            LOG.info("event listener lost its connection ({}); reconnecting in {} ms", e.getMessage(), backoffMillis);
        } else {
            LOG.warn("event listener cannot reconnect ({}); retrying in {} ms", e.getMessage(), backoffMillis);
        }
    }

    private void listen(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement listen = connection.createStatement()) {
            listen.execute("LISTEN " + EventLog.CHANNEL);
        }
        connects++;
        subscriber.mayHaveMissed();
    }

    private void receive(PGConnection connection) throws SQLException {
        while (!closed) {
            PGNotification[] received = connection.getNotifications(POLL_MILLIS);
            if (received == null) {
                continue;
            }
            for (PGNotification notification : received) {
                deliver(notification.getParameter());
            }
        }
    }

    /** Payload "seq tenant" as {@link EventLog#append} writes it. */
    private void deliver(String payload) {
        int space = payload.indexOf(' ');
        try {
            long seq = Long.parseLong(space < 0 ? payload : payload.substring(0, space));
            String tenant = space < 0 || space == payload.length() - 1 ? null : payload.substring(space + 1);
            subscriber.appended(seq, tenant);
        } catch (NumberFormatException e) {
            LOG.warn("ignoring a notification on {} that is not '<seq> <tenant>': {}", EventLog.CHANNEL, payload);
        }
    }

    private static void putIfSet(Properties properties, String key, String value) {
        if (value != null) {
            properties.setProperty(key, value);
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread and closes its connection; waits up to 2 s for it. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

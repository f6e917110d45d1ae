package dev.superfactory.server.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store lives: an embedded PostgreSQL in a data directory (the default, nothing to
 * install) or an external server named by a JDBC URL ({@code --db jdbc:postgresql://…}).
 */
public sealed interface DatabaseLocation {

    /** The default data directory of the embedded server, relative to the working directory. */
    Path DEFAULT_DATA_DIRECTORY = Path.of(".superfactory", "data");

    /** An embedded PostgreSQL whose files are under {@code dataDirectory}. */
    record Embedded(Path dataDirectory) implements DatabaseLocation {
        public Embedded {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
        }
    }

    /** An external PostgreSQL; the URL may carry user and password as parameters. */
    record External(String jdbcUrl) implements DatabaseLocation {
        private static final String SCHEME = "jdbc:postgresql://";

        public External {
            if (jdbcUrl == null || !jdbcUrl.startsWith(SCHEME) || jdbcUrl.length() == SCHEME.length()) {
                throw new IllegalArgumentException("--db: '" + redacted(jdbcUrl)
                        + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://HOST[:PORT]/DATABASE)");
            }
        }

        /** The URL without its parameters, which may hold a password. */
        public String redactedUrl() {
            return redacted(jdbcUrl);
        }

        private static String redacted(String url) {
            if (url == null) {
                return "";
            }
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query) + "?…";
        }
    }

    /** {@code --db} if given, else the embedded server in {@code dataDirectory} (or the default). */
    static DatabaseLocation of(String dbOption, Path dataDirectory) {
        if (dbOption != null) {
            return new External(dbOption);
        }
        return new Embedded(dataDirectory == null ? DEFAULT_DATA_DIRECTORY : dataDirectory);
    }
}

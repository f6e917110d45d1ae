package dev.superfactory.server.store;

import java.util.List;
import java.util.OptionalLong;

/**
 * Keyset paging: the caller passes the last id it has seen ({@code afterId}, 0 for the first
 * page) and gets at most {@code limit} items in ascending id order, plus the id to pass next if
 * there are more. Cost per page: one index range scan of limit + 1 rows, whatever the page number.
 */
public record Page(long afterId, int limit) {

    public static final int MAX_LIMIT = 1000;

    public Page {
        if (afterId < 0) {
            throw new IllegalArgumentException("afterId=" + afterId + " is negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit=" + limit + " is not within 1.." + MAX_LIMIT);
        }
    }

    public static Page first(int limit) {
        return new Page(0, limit);
    }

    /** One page of results; {@code next} is present when there are more after the last item. */
    public record Of<T>(List<T> items, OptionalLong next) {
    }
}

package dev.tally.analytics.web;

import dev.tally.servicekit.web.ApiException;

/** Agent Control's {@code limit}/{@code offset} paging, bounded so one request cannot ask for the whole table. */
public record Paging(int limit, int offset) {

    public static final int MAX_LIMIT = 500;

    public static Paging of(Integer limit, Integer offset, int defaultLimit) {
        int l = limit == null ? defaultLimit : limit;
        int o = offset == null ? 0 : offset;
        if (l < 1 || l > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (o < 0) {
            throw ApiException.invalid("offset", "must not be negative");
        }
        return new Paging(l, o);
    }
}

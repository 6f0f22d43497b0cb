package dev.tally.governance.web;

import java.util.List;
import java.util.regex.Pattern;

/** Input checks that name the field they refuse. */
public final class Check {

    public static final int NAME_MAX = 120;
    public static final int TEXT_MAX = 1000;
    /** Tally's ids are UUIDs (36 characters); anything much longer is not an id and is not looked up. */
    public static final int ID_MAX = 64;
    /**
     * The most credits one amount, quota, pool, budget limit or overdraft limit may name: 10^15. The ledger sums
     * such amounts into longs (at most about 9.2 * 10^18), so thousands of maximal movements still fit; it refuses an
     * overflow exactly anyway, but an amount this large is a typo, not a purchase.
     */
    public static final long MAX_CREDITS = 1_000_000_000_000_000L;
    /** At most a million credits per dollar: with prices of at most $1,000 per 1,000 tokens, a request stays far below {@link #MAX_CREDITS}. */
    public static final long MAX_CREDITS_PER_USD = 1_000_000L;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private Check() {
    }

    public static String name(String value, String field) {
        return text(value, field, NAME_MAX);
    }

    public static String text(String value, String field, int max) {
        if (value == null) {
            throw ApiException.missing(field);
        }
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            throw ApiException.invalid(field, "must not be blank");
        }
        if (trimmed.length() > max) {
            throw ApiException.invalid(field, "must be at most " + max + " characters");
        }
        return trimmed;
    }

    public static String optionalText(String value, String field, int max) {
        return value == null ? null : text(value, field, max);
    }

    /**
     * An optional id a body names: null stays null; a value longer than {@link #ID_MAX} is refused naming the field,
     * instead of being looked up and echoed in a 404.
     */
    public static String optionalId(String value, String field) {
        if (value != null && value.length() > ID_MAX) {
            throw ApiException.invalid(field, "is not an id (at most " + ID_MAX + " characters)");
        }
        return value;
    }

    public static String email(String value, String field) {
        String email = text(value, field, 254);
        if (!EMAIL.matcher(email).matches()) {
            throw ApiException.invalid(field, "is not an e-mail address");
        }
        return email.toLowerCase(java.util.Locale.ROOT);
    }

    public static long positive(Long value, String field) {
        if (value == null) {
            throw ApiException.missing(field);
        }
        if (value <= 0) {
            throw ApiException.invalid(field, "must be greater than 0");
        }
        return atMostMaxCredits(value, field);
    }

    public static long notNegative(Long value, String field, long defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (value < 0) {
            throw ApiException.invalid(field, "must not be negative");
        }
        return atMostMaxCredits(value, field);
    }

    public static long creditsPerUsd(Long value, String field) {
        long rate = positive(value, field);
        if (rate > MAX_CREDITS_PER_USD) {
            throw ApiException.invalid(field, "must be at most " + MAX_CREDITS_PER_USD);
        }
        return rate;
    }

    private static long atMostMaxCredits(long value, String field) {
        if (value > MAX_CREDITS) {
            throw ApiException.invalid(field, "must be at most " + MAX_CREDITS + " (10^15 credits)");
        }
        return value;
    }

    public static Integer optionalPositive(Integer value, String field) {
        if (value != null && value <= 0) {
            throw ApiException.invalid(field, "must be greater than 0");
        }
        return value;
    }

    public static <T> T required(T value, String field) {
        if (value == null) {
            throw ApiException.missing(field);
        }
        return value;
    }

    public static List<String> names(List<String> values, String field) {
        if (values == null) {
            return null;
        }
        for (int i = 0; i < values.size(); i++) {
            text(values.get(i), field + "[" + i + "]", NAME_MAX);
        }
        return values.stream().map(String::strip).distinct().toList();
    }
}

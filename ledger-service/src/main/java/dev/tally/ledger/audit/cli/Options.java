package dev.tally.ledger.audit.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value}, {@code --name=value} and bare {@code --flag} arguments, plus the positional ones. */
final class Options {

    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    /** Refuses any option not in {@code flags} (no value) or {@code named} (with a value), so a typo is not ignored. */
    Options(List<String> args, Set<String> flags, Set<String> named) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            int equals = name.indexOf('=');
            String bare = equals >= 0 ? name.substring(0, equals) : name;
            if (!flags.contains(bare) && !named.contains(bare)) {
                throw new UsageException("unknown option --" + bare);
            }
            if (equals >= 0) {
                values.put(bare, name.substring(equals + 1));
            } else if (flags.contains(name)) {
                values.put(name, "true");
            } else if (i + 1 < args.size()) {
                values.put(name, args.get(++i));
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
        }
    }

    String get(String name) {
        return values.get(name);
    }

    String get(String name, String environment, String fallback) {
        String value = values.get(name);
        if (value == null && environment != null) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    long number(String name, long fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value);
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a whole number, 0 or more, was " + value);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    Instant instant(String name) {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new UsageException("--" + name + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, was "
                    + value);
        }
    }

    List<String> positional() {
        return positional;
    }

    /** A mistake in the command line: the message and the usage, exit status 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}

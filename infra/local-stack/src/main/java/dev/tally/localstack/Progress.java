package dev.tally.localstack;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** What a person watching {@code ./tally up} sees while it starts and stops: one line per step. */
final class Progress {

    private final PrintStream out;

    Progress(PrintStream out) {
        this.out = out;
    }

    void note(String text) {
        out.println("  " + text);
        out.flush();
    }

    void ok(String component, String detail, Duration took) {
        note(line(component, "ok", detail, took));
    }

    void failed(String component, String reason) {
        note(String.format(Locale.ROOT, "%-20s FAILED: %s", component, reason));
    }

    static String line(String component, String status, String detail, Duration took) {
        return String.format(Locale.ROOT, "%-20s %-3s %-44s %6.1f s", component, status, detail, seconds(took));
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    PrintStream out() {
        return out;
    }
}

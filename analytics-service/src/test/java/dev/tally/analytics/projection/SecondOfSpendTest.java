package dev.tally.analytics.projection;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecondOfSpendTest {

    private static final OffsetDateTime T = OffsetDateTime.parse("2026-12-07T18:00:05.100Z");

    @Test
    void the_charges_of_one_scope_in_one_second_are_one_row_with_their_sum_and_latest_moment() {
        List<SecondOfSpend> seconds = SecondOfSpend.fold(List.of(
                spend("MEMBER", "bot-1", 30, T),
                spend("ORG", "org-1", 30, T),
                spend("MEMBER", "bot-1", 12, T.plusNanos(800_000_000)),
                spend("MEMBER", "bot-1", 5, T.plusNanos(300_000_000)),
                spend("MEMBER", "bot-2", 7, T.plusNanos(200_000_000)),
                spend("MEMBER", "bot-1", 1, T.plusSeconds(1))));

        OffsetDateTime second = OffsetDateTime.parse("2026-12-07T18:00:05Z");
        assertThat(seconds).containsExactly(
                new SecondOfSpend("org-1", "MEMBER", "bot-1", second, 47, T.plusNanos(800_000_000)),
                new SecondOfSpend("org-1", "ORG", "org-1", second, 30, T),
                new SecondOfSpend("org-1", "MEMBER", "bot-2", second, 7, T.plusNanos(200_000_000)),
                new SecondOfSpend("org-1", "MEMBER", "bot-1", second.plusSeconds(1), 1, T.plusSeconds(1)));
    }

    private static LedgerRows.Spend spend(String level, String scope, long credits, OffsetDateTime at) {
        return new LedgerRows.Spend("org-1", level, scope, credits, at);
    }
}

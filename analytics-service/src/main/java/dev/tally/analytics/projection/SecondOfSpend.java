package dev.tally.analytics.projection;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scope's spend in one second: the row of {@code scope_spend} that a poll's charges add to. */
record SecondOfSpend(String orgId, String scopeLevel, String scopeId, OffsetDateTime second, long credits,
        OffsetDateTime lastAt) {

    private record Key(String orgId, String scopeLevel, String scopeId, OffsetDateTime second) {
    }

    /** One per scope and second, in the order first seen: the sum of their credits and their latest moment. */
    static List<SecondOfSpend> fold(List<LedgerRows.Spend> spends) {
        Map<Key, SecondOfSpend> folded = new LinkedHashMap<>();
        for (LedgerRows.Spend spend : spends) {
            OffsetDateTime second = spend.at().truncatedTo(ChronoUnit.SECONDS);
            Key key = new Key(spend.orgId(), spend.scopeLevel(), spend.scopeId(), second);
            folded.merge(key, new SecondOfSpend(spend.orgId(), spend.scopeLevel(), spend.scopeId(), second,
                    spend.credits(), spend.at()), SecondOfSpend::plus);
        }
        return new ArrayList<>(folded.values());
    }

    private SecondOfSpend plus(SecondOfSpend other) {
        return new SecondOfSpend(orgId, scopeLevel, scopeId, second, credits + other.credits,
                lastAt.isAfter(other.lastAt) ? lastAt : other.lastAt);
    }
}

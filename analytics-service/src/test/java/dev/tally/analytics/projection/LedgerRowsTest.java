package dev.tally.analytics.projection;

import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.ledger.UsageRecordedEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A charge beyond its hold: the overdraft is spent by the chain and paid by the account it was put on. */
class LedgerRowsTest {

    private static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");
    private static final List<Scope> CHAIN = List.of(new Scope(ScopeLevel.ORG, "org-acme"),
            new Scope(ScopeLevel.MEMBER, "jdoe"));

    @Test
    void a_lease_charge_with_an_overdraft_spends_the_whole_charge_and_books_the_overdraft_on_its_account() {
        LeaseChargedEvent charge = new LeaseChargedEvent("org-acme", "cmd-1", AT, "lease-1", "req-1", 320, 320, 0, 0,
                List.of(new Leg("acct-team", 300)), CHAIN, 10, 5, "gpt-4o-mini", "openai", 20L, "acct-mbr-jdoe");

        LedgerRows rows = LedgerRows.of(List.of(new LedgerEventRecord("evt-1", charge)));

        assertThat(rows.entries).extracting(LedgerRows.Entry::accountId, LedgerRows.Entry::delta)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acct-team", -300L),
                        org.assertj.core.groups.Tuple.tuple("acct-mbr-jdoe", -20L));
        assertThat(rows.spends).extracting(LedgerRows.Spend::credits).containsOnly(320L).hasSize(2);
    }

    @Test
    void a_usage_recorded_before_overdrafts_books_what_it_charged_and_not_what_it_forgave() {
        UsageRecordedEvent usage = new UsageRecordedEvent("org-acme", "cmd-2", AT, "res-1", 100, 130, 100, 30, 0,
                List.of(new Leg("acct-mbr-jdoe", 100)), CHAIN, 10, 5, "gpt-4o-mini", "openai");

        LedgerRows rows = LedgerRows.of(List.of(new LedgerEventRecord("evt-2", usage)));

        assertThat(rows.entries).extracting(LedgerRows.Entry::delta).containsExactly(-100L);
        assertThat(rows.spends).extracting(LedgerRows.Spend::credits).containsOnly(100L);
    }
}

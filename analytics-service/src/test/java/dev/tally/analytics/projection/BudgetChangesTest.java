package dev.tally.analytics.projection;

import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetChangesTest {

    @Test
    void the_last_definition_of_a_budget_in_a_poll_wins_and_a_removal_after_it_is_kept() {
        BudgetChanges changes = new BudgetChanges();
        changes.define(budget("b1", 100));
        changes.define(budget("b1", 200));
        changes.remove("b1");
        changes.define(budget("b2", 300));
        changes.remove("b2");
        changes.define(budget("b2", 400));

        assertThat(changes.definitions()).extracting(c -> c.definition().limitCredits(), BudgetChanges.Change::removed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(200L, true),
                        org.assertj.core.groups.Tuple.tuple(400L, false));
        assertThat(changes.removals()).isEmpty();
    }

    @Test
    void a_removal_of_a_budget_defined_in_an_earlier_poll_is_an_update() {
        BudgetChanges changes = new BudgetChanges();
        changes.remove("old");
        assertThat(changes.definitions()).isEmpty();
        assertThat(changes.removals()).containsExactly("old");
    }

    private static BudgetDefinedEvent budget(String id, long limit) {
        return new BudgetDefinedEvent("org", "cmd", Instant.now(), id, new Scope(ScopeLevel.ORG, "org"),
                BudgetPeriod.MONTHLY, limit, List.of(50), false, "admin-key:test");
    }
}

package dev.tally.events.ledger.view;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerViewTest {

    /** What GET /ledgers/{id} answers, with a field a newer ledger might add. */
    private static final String ANSWER = """
            {"ledger_id":"org-1","critical_overdraft_limit":0,"events_applied":7,
             "accounts":[{"account_id":"org-1","kind":"ORG","balance":100,"reserved":30,"available":70}],
             "reservations":[{"reservation_id":"lease-1","credits":30,"priority":"NORMAL",
                              "expires_at":"2026-12-07T10:00:00Z"}],
             "budgets":[{"budget_id":"b-1","scope":{"level":"ORG","id":"org-1"},"period":"DAILY",
                         "limit_credits":500,"window_start":"2026-12-07","charged_credits":20,
                         "reserved_credits":30,"added_later":true}]}""";

    @Test
    void a_reader_with_a_plain_mapper_reads_the_ledgers_snake_case_answer() {
        LedgerView view = JsonMapper.builder().build().readValue(ANSWER, LedgerView.class);

        assertThat(view.eventsApplied()).isEqualTo(7);
        assertThat(view.account("org-1")).hasValueSatisfying(a -> {
            assertThat(a.kind()).isEqualTo(AccountKind.ORG);
            assertThat(a.available()).isEqualTo(70);
        });
        assertThat(view.account("nobody")).isEmpty();
        assertThat(view.budget("b-1")).hasValue(new LedgerView.BudgetWindow("b-1", new Scope(ScopeLevel.ORG,
                "org-1"), BudgetPeriod.DAILY, 500, LocalDate.of(2026, 12, 7), 20, 30));
        assertThat(view.reservations()).singleElement().satisfies(r -> assertThat(r.credits()).isEqualTo(30));
    }

    @Test
    void the_ledger_writes_snake_case_whatever_its_mapper() {
        LedgerView view = JsonMapper.builder().build().readValue(ANSWER, LedgerView.class);

        String written = JsonMapper.builder().build().writeValueAsString(view);

        assertThat(written).contains("\"critical_overdraft_limit\"", "\"account_id\"", "\"window_start\"",
                "\"reserved_credits\"").doesNotContain("accountId", "added_later");
    }
}

package dev.tally.ledger.domain;

import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.AccountOpenedEvent;
import dev.tally.events.ledger.AdjustBalanceCommand;
import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.ExpireReservationCommand;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LedgerCommand;
import dev.tally.events.ledger.LedgerOpenedEvent;
import dev.tally.events.ledger.LedgerReply;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.OpenAccountCommand;
import dev.tally.events.ledger.OpenLedgerCommand;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.PurchaseCreditsCommand;
import dev.tally.events.ledger.RecordUsageCommand;
import dev.tally.events.ledger.RefundCreditsCommand;
import dev.tally.events.ledger.RejectionReason;
import dev.tally.events.ledger.ReleaseReservationCommand;
import dev.tally.events.ledger.RemoveBudgetCommand;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.ledger.TransferCreditsCommand;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Predicate;

/**
 * The one place for the ids, instants, commands and events the {@link CreditLedger} fixture tests share.
 *
 * <p>All instants are whole seconds, because the aggregate truncates its clock to microseconds. The story is set in
 * March 2025 (UTC): the ledger opens on the morning of Friday the 14th and most commands run at {@link #NOW}.
 */
final class LedgerTestKit {

    static final String LEDGER = "ledger-acme";
    static final String ORG = "acct-org-pool";
    static final String TEAM = "acct-team-support";
    static final String ALICE = "acct-member-alice";
    static final String ACTOR = "admin@acme.test";

    static final Scope ORG_SCOPE = new Scope(ScopeLevel.ORG, "acme");
    static final Scope TEAM_SCOPE = new Scope(ScopeLevel.GROUP, "support");
    static final Scope ALICE_SCOPE = new Scope(ScopeLevel.MEMBER, "alice");
    static final Scope OTHER_TEAM_SCOPE = new Scope(ScopeLevel.GROUP, "marketing");
    /** The principal's hierarchy, org first, as the gateway sends it. */
    static final List<Scope> CHAIN = List.of(ORG_SCOPE, TEAM_SCOPE, ALICE_SCOPE);

    static final long TTL_SECONDS = 300;

    static final Instant OPENED_AT = Instant.parse("2025-03-14T08:00:00Z");
    static final Instant NOW = Instant.parse("2025-03-14T10:00:00Z");
    static final Instant LATER_TODAY = Instant.parse("2025-03-14T18:00:00Z");
    static final Instant LAST_SECOND_OF_DAY = Instant.parse("2025-03-14T23:59:59Z");
    static final Instant NEXT_DAY = Instant.parse("2025-03-15T09:00:00Z");
    static final Instant LAST_DAY_OF_MONTH = Instant.parse("2025-03-31T22:00:00Z");
    static final Instant FIRST_OF_NEXT_MONTH = Instant.parse("2025-04-01T06:00:00Z");
    static final Instant NEXT_YEAR = Instant.parse("2026-03-14T10:00:00Z");

    static final LocalDate TODAY = LocalDate.of(2025, 3, 14);
    static final LocalDate TOMORROW = LocalDate.of(2025, 3, 15);
    static final LocalDate THIS_MONTH = LocalDate.of(2025, 3, 1);
    static final LocalDate NEXT_MONTH = LocalDate.of(2025, 4, 1);

    private LedgerTestKit() {
    }

    /**
     * A fixture for one ledger. The commands carry no {@code @TargetAggregateIdentifier}; like the application, the
     * fixture routes them with {@link LedgerTargetResolver}.
     *
     * <p>The fixture's illegal-state-change check is off: it compares the handled aggregate with a freshly sourced
     * one using {@code equals} on collections, and {@code Account} and {@code Budget} are mutable classes without
     * {@code equals}, so every ledger with an account would be reported as changed. The state only ever changes in
     * the event sourcing handler, so the check would add nothing here.
     */
    static AggregateTestFixture<CreditLedger> newFixture() {
        AggregateTestFixture<CreditLedger> fixture = new AggregateTestFixture<>(CreditLedger.class);
        fixture.setReportIllegalStateChange(false);
        fixture.registerCommandTargetResolver(new LedgerTargetResolver());
        return fixture;
    }

    // ---- commands ------------------------------------------------------------------------------------------------

    static OpenLedgerCommand openLedger(long criticalOverdraftLimit) {
        return new OpenLedgerCommand("cmd-open-ledger", LEDGER, ORG, criticalOverdraftLimit, ACTOR);
    }

    static OpenAccountCommand openAccount(String accountId, AccountKind kind) {
        return new OpenAccountCommand("cmd-open-" + accountId, LEDGER, accountId, kind, ACTOR);
    }

    static PurchaseCreditsCommand purchase(String accountId, long credits) {
        return new PurchaseCreditsCommand("cmd-purchase-" + accountId + "-" + credits, LEDGER, accountId, credits,
                ACTOR, "invoice-2025-0042");
    }

    static TransferCreditsCommand transfer(String fromAccountId, String toAccountId, long credits) {
        return new TransferCreditsCommand("cmd-transfer-" + credits, LEDGER, fromAccountId, toAccountId, credits,
                ACTOR, "monthly allocation");
    }

    static DefineBudgetCommand defineBudget(String budgetId, Scope scope, BudgetPeriod period, long limitCredits) {
        return defineBudget(budgetId, scope, period, limitCredits, List.of(), false);
    }

    static DefineBudgetCommand defineBudget(String budgetId, Scope scope, BudgetPeriod period, long limitCredits,
            List<Integer> thresholdsPercent, boolean autoDisable) {
        return new DefineBudgetCommand("cmd-define-" + budgetId + "-" + limitCredits, LEDGER, budgetId, scope, period,
                limitCredits, thresholdsPercent, autoDisable, ACTOR);
    }

    static RemoveBudgetCommand removeBudget(String budgetId) {
        return new RemoveBudgetCommand("cmd-remove-" + budgetId, LEDGER, budgetId, ACTOR);
    }

    /** A normal-priority reservation on {@link #CHAIN}, drawing from the org pool. */
    static ReserveCreditCommand reserve(String reservationId, long credits) {
        return reserve(reservationId, credits, List.of(ORG));
    }

    /** A normal-priority reservation on {@link #CHAIN}, drawing from {@code accountIds} in order. */
    static ReserveCreditCommand reserve(String reservationId, long credits, List<String> accountIds) {
        return reserve(reservationId, CHAIN, accountIds, credits, Priority.NORMAL, TTL_SECONDS);
    }

    static ReserveCreditCommand reserveCritical(String reservationId, long credits, List<String> accountIds) {
        return reserve(reservationId, CHAIN, accountIds, credits, Priority.CRITICAL, TTL_SECONDS);
    }

    static ReserveCreditCommand reserve(String reservationId, List<Scope> scopeChain, List<String> accountIds,
            long credits, Priority priority, long ttlSeconds) {
        return new ReserveCreditCommand("cmd-reserve-" + reservationId, LEDGER, reservationId, scopeChain,
                accountIds, credits, priority, ttlSeconds);
    }

    static RecordUsageCommand usage(String reservationId, long actualCredits) {
        return new RecordUsageCommand("cmd-usage-" + reservationId, LEDGER, reservationId, actualCredits, 1200, 300,
                "gpt-4o-mini", "openai");
    }

    /** Charges against a lease; the command id names the batch, as a gateway flushing its charges would. */
    static ChargeLeaseCommand chargeLease(String commandId, String leaseId, LeaseCharge... charges) {
        return new ChargeLeaseCommand(commandId, LEDGER, leaseId, List.of(charges));
    }

    /** One request's charge, with the token counts and model of {@link #usage}. */
    static LeaseCharge charge(String requestId, long actualCredits) {
        return new LeaseCharge(requestId, Long.MAX_VALUE, actualCredits, 1200, 300, "gpt-4o-mini", "openai");
    }

    static ReleaseReservationCommand release(String reservationId) {
        return new ReleaseReservationCommand("cmd-release-" + reservationId, LEDGER, reservationId,
                "request cancelled");
    }

    static ExpireReservationCommand expire(String reservationId) {
        return new ExpireReservationCommand("cmd-expire-" + reservationId, LEDGER, reservationId);
    }

    static AdjustBalanceCommand adjust(String accountId, long deltaCredits) {
        return new AdjustBalanceCommand("cmd-adjust-" + accountId + "-" + deltaCredits, LEDGER, accountId,
                deltaCredits, ACTOR, "correction of ticket SUP-7");
    }

    static RefundCreditsCommand refund(String accountId, long credits) {
        return new RefundCreditsCommand("cmd-refund-" + accountId + "-" + credits, LEDGER, accountId, credits,
                "res-refunded", ACTOR, "provider outage");
    }

    // ---- events for the given phase --------------------------------------------------------------------------------

    static LedgerOpenedEvent ledgerOpened() {
        return ledgerOpened(0);
    }

    static LedgerOpenedEvent ledgerOpened(long criticalOverdraftLimit) {
        return new LedgerOpenedEvent(LEDGER, "cmd-open-ledger", OPENED_AT, ORG, criticalOverdraftLimit, ACTOR);
    }

    static AccountOpenedEvent accountOpened(String accountId, AccountKind kind) {
        return new AccountOpenedEvent(LEDGER, "cmd-open-" + accountId, OPENED_AT, accountId, kind, ACTOR);
    }

    static CreditsPurchasedEvent purchased(String accountId, long credits) {
        return new CreditsPurchasedEvent(LEDGER, "cmd-purchase-" + accountId + "-" + credits, OPENED_AT, accountId,
                credits, ACTOR, "invoice-2025-0001");
    }

    static BudgetDefinedEvent budgetDefined(String budgetId, Scope scope, BudgetPeriod period, long limitCredits) {
        return budgetDefined(budgetId, scope, period, limitCredits, LedgerRules.DEFAULT_THRESHOLDS, false);
    }

    static BudgetDefinedEvent budgetDefined(String budgetId, Scope scope, BudgetPeriod period, long limitCredits,
            List<Integer> thresholdsPercent, boolean autoDisable) {
        return new BudgetDefinedEvent(LEDGER, "cmd-define-" + budgetId, OPENED_AT, budgetId, scope, period,
                limitCredits, thresholdsPercent, autoDisable, ACTOR);
    }

    /** A normal reservation on {@link #CHAIN} made at {@code at}, as the ledger would have recorded it. */
    static CreditReservedEvent reserved(String reservationId, long credits, Instant at, List<Leg> legs,
            List<BudgetHold> holds) {
        return new CreditReservedEvent(LEDGER, "cmd-reserve-" + reservationId, at, reservationId, credits, legs, holds,
                CHAIN, Priority.NORMAL, at.plusSeconds(TTL_SECONDS));
    }

    /** A normal reservation of the org pool on {@link #CHAIN} without budgets, made at {@link #NOW}. */
    static CreditReservedEvent reserved(String reservationId, long credits) {
        return reserved(reservationId, credits, NOW, List.of(new Leg(ORG, credits)), List.of());
    }

    static Leg leg(String accountId, long credits) {
        return new Leg(accountId, credits);
    }

    static BudgetHold hold(String budgetId, LocalDate windowStart) {
        return new BudgetHold(budgetId, windowStart);
    }

    // ---- replies ---------------------------------------------------------------------------------------------------

    static CommandAcceptedReply accepted(LedgerCommand command, String outcome, long credits) {
        return new CommandAcceptedReply(command.commandId(), command.ledgerId(), outcome, credits);
    }

    static CommandRejectedReply rejected(LedgerCommand command, RejectionReason reason, String detail) {
        return rejected(command, reason, detail, null);
    }

    static CommandRejectedReply rejected(LedgerCommand command, RejectionReason reason, String detail,
            String budgetId) {
        return new CommandRejectedReply(command.commandId(), command.ledgerId(), reason, detail, budgetId);
    }

    /** A refused reservation while open reservations held {@code reservedCredits} of the refusing budget. */
    static CommandRejectedReply rejected(LedgerCommand command, RejectionReason reason, String detail,
            String budgetId, long reservedCredits) {
        return new CommandRejectedReply(command.commandId(), command.ledgerId(), reason, detail, budgetId,
                reservedCredits);
    }

    /** A rejection of {@code command} for {@code reason} and no budget, whatever its detail says. */
    static Matcher<LedgerReply> rejectedFor(LedgerCommand command, RejectionReason reason) {
        return rejectedFor(command, reason, null);
    }

    /** A rejection of {@code command} for {@code reason} by {@code budgetId}, with a detail that says something. */
    static Matcher<LedgerReply> rejectedFor(LedgerCommand command, RejectionReason reason, String budgetId) {
        return reply("a rejection of " + command.commandId() + " for " + reason
                        + (budgetId == null ? "" : " by budget " + budgetId),
                r -> r instanceof CommandRejectedReply rejected
                        && rejected.commandId().equals(command.commandId())
                        && rejected.ledgerId().equals(command.ledgerId())
                        && rejected.reason() == reason
                        && java.util.Objects.equals(rejected.budgetId(), budgetId)
                        && rejected.detail() != null && !rejected.detail().isBlank());
    }

    static <T> Matcher<T> reply(String description, Predicate<? super T> predicate) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(T item) {
                return predicate.test(item);
            }

            @Override
            public void describeTo(Description d) {
                d.appendText(description);
            }
        };
    }

    // ---- event matchers ---------------------------------------------------------------------------------------------

    /** Exactly these payloads, in this order, and no more events. */
    @SafeVarargs
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Matcher<List<EventMessage<?>>> eventPayloads(Matcher<?>... payloads) {
        Matcher[] sequence = java.util.Arrays.copyOf(payloads, payloads.length + 1, Matcher[].class);
        sequence[payloads.length] = Matchers.andNoMore();
        return (Matcher) Matchers.payloadsMatching(Matchers.exactSequenceOf(sequence));
    }

    /** An event payload of {@code type} for which {@code predicate} holds. */
    static <E> Matcher<Object> payload(Class<E> type, String description, Predicate<? super E> predicate) {
        return reply("a " + type.getSimpleName() + " where " + description,
                item -> type.isInstance(item) && predicate.test(type.cast(item)));
    }

    /** Matches a thrown {@link LedgerNotOpenedException} whose reply is a rejection for {@code reason}. */
    static Matcher<LedgerNotOpenedException> notOpenedFor(OpenLedgerCommand command, RejectionReason reason) {
        Matcher<LedgerReply> replyMatcher = rejectedFor(command, reason);
        return reply("a LedgerNotOpenedException carrying " + replyMatcher,
                e -> replyMatcher.matches(e.reply()));
    }
}

package dev.tally.events;

import dev.tally.events.envelope.MessageType;
import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertMessageTypes;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.gateway.GatewayMessageTypes;
import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.ApiKeyState;
import dev.tally.events.governance.BudgetState;
import dev.tally.events.governance.CredentialState;
import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GovernanceMessageTypes;
import dev.tally.events.governance.GroupKind;
import dev.tally.events.governance.GroupState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberState;
import dev.tally.events.governance.MemberStatus;
import dev.tally.events.governance.OrgState;
import dev.tally.events.governance.PolicyState;
import dev.tally.events.governance.PriceState;
import dev.tally.events.governance.ProjectMemberState;
import dev.tally.events.governance.ProjectState;
import dev.tally.events.governance.TimeWindow;
import dev.tally.events.governance.WorkspaceState;
import dev.tally.events.ledger.AccountKind;
import dev.tally.events.ledger.AccountOpenedEvent;
import dev.tally.events.ledger.AdjustBalanceCommand;
import dev.tally.events.ledger.BalanceAdjustedEvent;
import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetRemovedEvent;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CommandAcceptedReply;
import dev.tally.events.ledger.CommandRejectedReply;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.CreditsRefundedEvent;
import dev.tally.events.ledger.CreditsTransferredEvent;
import dev.tally.events.ledger.DefineBudgetCommand;
import dev.tally.events.ledger.ChargeLeaseCommand;
import dev.tally.events.ledger.LeaseSettlement;
import dev.tally.events.ledger.SettleLeasesCommand;
import dev.tally.events.ledger.ExpireReservationCommand;
import dev.tally.events.ledger.LeaseCharge;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.LedgerOpenedEvent;
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
import dev.tally.events.ledger.ReservationExpiredEvent;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.ReservationRenewedEvent;
import dev.tally.events.ledger.ReserveCreditCommand;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.ledger.TransferCreditsCommand;
import dev.tally.events.ledger.TransferRefusedEvent;
import dev.tally.events.ledger.UsageRecordedEvent;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One realistic instance of every ledger message, every governance state and every gateway record, with fixed
 * values, telling one story: the ACME org's ledger, its support-bots group and a member of it, a monthly group
 * budget, and reservation res-0001 of one chat completion; the governance state behind it: the org, its workspace,
 * the support-bots team, jdoe and her key, a project, the group's policy and budget, the price of the model used and
 * the org's own OpenAI key; the gateway's record of that chat completion; the alert of the budget's 80 %; and a lease
 * of 5000 credits that a gateway holds for jdoe and charges request by request.
 */
public final class SampleMessages {

    public static final String LEDGER = "org-acme";
    public static final String ORG_ACCOUNT = "acct-org-acme";
    public static final String GROUP_ACCOUNT = "acct-grp-support-bots";
    public static final String MEMBER_ACCOUNT = "acct-mbr-jdoe";
    public static final String BUDGET = "bgt-support-bots-monthly";
    public static final String RESERVATION = "res-0001";
    public static final String LEASE = "lease-0190a3c2-7d4e-7b1a-9f3e-2c5d8e1f4a6b";
    public static final String ADMIN = "admin@acme.example";

    public static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");
    public static final Instant EXPIRES_AT = Instant.parse("2026-11-23T10:20:30Z");
    /** A key rotated at {@link #AT} with a day's grace. */
    public static final Instant KEY_EXPIRES_AT = Instant.parse("2026-11-24T10:15:30Z");
    public static final LocalDate WINDOW_START = LocalDate.parse("2026-11-01");

    public static final Scope ORG = new Scope(ScopeLevel.ORG, LEDGER);
    public static final Scope GROUP = new Scope(ScopeLevel.GROUP, "support-bots");
    public static final Scope MEMBER = new Scope(ScopeLevel.MEMBER, "jdoe");
    public static final List<Scope> SCOPE_CHAIN = List.of(ORG, GROUP, MEMBER);

    public static final String WORKSPACE = "ws-support";
    public static final String API_KEY_HASH = "9cd75fa6592b8f37a2c9c2b3ebd02e51a6c7735dedef7a9c141551f34c714059";
    public static final String ADMIN_KEY_HASH = "4f1c3b0e5d0a9e2b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b";

    /**
     * Every registered message type of every domain: the ledger's messages, then the governance states, the
     * gateway's records, then the alerts.
     */
    private static final List<MessageType<?>> REGISTERED = Stream.of(
            LedgerMessageTypes.all(), GovernanceMessageTypes.STATES, GatewayMessageTypes.ALL,
            AlertMessageTypes.ALL)
            .<MessageType<?>>flatMap(List::stream).toList();

    private static final Map<Class<?>, Object> SAMPLES = samples();

    private SampleMessages() {
    }

    /** The sample of a message class; fails when a registered type has none, so a new type needs a sample. */
    @SuppressWarnings("unchecked")
    public static <T> T of(Class<T> javaType) {
        Object sample = SAMPLES.get(javaType);
        if (sample == null) {
            throw new IllegalStateException("no sample message for " + javaType.getName() + ": add one to SampleMessages");
        }
        return (T) sample;
    }

    public static Object of(MessageType<?> type) {
        return of(type.javaType());
    }

    /** Every registered message type of every domain. */
    public static List<MessageType<?>> registered() {
        return REGISTERED;
    }

    /** Every registered message type, named by its domain and wire name, for parameterized tests. */
    public static Stream<Arguments> types() {
        return REGISTERED.stream().map(type -> Arguments.of(Named.of(type.domain() + "." + type.name(), type)));
    }

    /** Every domain that has registered message types, e.g. {@code ledger}, for parameterized tests. */
    public static Stream<String> domains() {
        return REGISTERED.stream().map(MessageType::domain).distinct();
    }

    private static Map<Class<?>, Object> samples() {
        Map<Class<?>, Object> samples = new LinkedHashMap<>();
        List.of(
                // commands
                new OpenLedgerCommand("cmd-0001", LEDGER, ORG_ACCOUNT, 500L, ADMIN),
                new OpenAccountCommand("cmd-0002", LEDGER, GROUP_ACCOUNT, AccountKind.GROUP, ADMIN),
                new PurchaseCreditsCommand("cmd-0003", LEDGER, ORG_ACCOUNT, 100_000L, "billing-service",
                        "inv-2026-11-0042"),
                new TransferCreditsCommand("cmd-0004", LEDGER, ORG_ACCOUNT, GROUP_ACCOUNT, 20_000L, ADMIN,
                        "monthly allocation"),
                new DefineBudgetCommand("cmd-0005", LEDGER, BUDGET, GROUP, BudgetPeriod.MONTHLY, 15_000L,
                        List.of(50, 80, 100), true, ADMIN),
                new RemoveBudgetCommand("cmd-0006", LEDGER, BUDGET, ADMIN),
                new ReserveCreditCommand("cmd-0007", LEDGER, RESERVATION, SCOPE_CHAIN,
                        List.of(MEMBER_ACCOUNT, GROUP_ACCOUNT), 1_200L, Priority.NORMAL, 300L),
                new RecordUsageCommand("cmd-0008", LEDGER, RESERVATION, 950L, 1_830L, 412L, "gpt-4o-mini", "openai"),
                new ReleaseReservationCommand("cmd-0009", LEDGER, RESERVATION, "client closed the stream"),
                new ExpireReservationCommand("cmd-0010", LEDGER, RESERVATION),
                new AdjustBalanceCommand("cmd-0011", LEDGER, MEMBER_ACCOUNT, -250L, ADMIN,
                        "correct double-counted usage"),
                new RefundCreditsCommand("cmd-0012", LEDGER, MEMBER_ACCOUNT, 950L, RESERVATION, ADMIN,
                        "provider outage"),
                new ChargeLeaseCommand("cmd-0015", LEDGER, LEASE, List.of(
                        new LeaseCharge("req-0001", 400L, 320L, 610L, 140L, "gpt-4o-mini", "openai"),
                        new LeaseCharge("req-0002", 400L, 0L, 0L, 0L, "gpt-4o-mini", "openai"))),
                new SettleLeasesCommand("cmd-0016", LEDGER, List.of(
                        new LeaseSettlement(LEASE, List.of(
                                new LeaseCharge("req-0003", 400L, 310L, 590L, 128L, "gpt-4o-mini", "openai")),
                                true, "lease returned"),
                        new LeaseSettlement("lease-0190a3c2-7d4e-7b1a-9f3e-2c5d8e1f4a6c", List.of(
                                new LeaseCharge("req-0004", 200L, 150L, 300L, 64L, "gpt-4o-mini", "openai")),
                                false, null, 300L))),
                // events
                new LedgerOpenedEvent(LEDGER, "cmd-0001", AT, ORG_ACCOUNT, 500L, ADMIN),
                new AccountOpenedEvent(LEDGER, "cmd-0002", AT, GROUP_ACCOUNT, AccountKind.GROUP, ADMIN),
                new CreditsPurchasedEvent(LEDGER, "cmd-0003", AT, ORG_ACCOUNT, 100_000L, "billing-service",
                        "inv-2026-11-0042"),
                new CreditsTransferredEvent(LEDGER, "cmd-0004", AT, ORG_ACCOUNT, GROUP_ACCOUNT, 20_000L, ADMIN,
                        "monthly allocation"),
                new TransferRefusedEvent(LEDGER, "cmd-0013", AT, GROUP_ACCOUNT, MEMBER_ACCOUNT, 50_000L,
                        RejectionReason.INSUFFICIENT_CREDITS,
                        "account acct-grp-support-bots has 20000 credits available, 50000 requested"),
                new BudgetDefinedEvent(LEDGER, "cmd-0005", AT, BUDGET, GROUP, BudgetPeriod.MONTHLY, 15_000L,
                        List.of(50, 80, 100), true, ADMIN),
                new BudgetRemovedEvent(LEDGER, "cmd-0006", AT, BUDGET, ADMIN),
                new CreditReservedEvent(LEDGER, "cmd-0007", AT, RESERVATION, 1_200L,
                        List.of(new Leg(MEMBER_ACCOUNT, 800L), new Leg(GROUP_ACCOUNT, 400L)),
                        List.of(new BudgetHold(BUDGET, WINDOW_START)), SCOPE_CHAIN, Priority.NORMAL, EXPIRES_AT),
                new CreditReservationRejectedEvent(LEDGER, "cmd-0014", AT, "res-0002", 4_000L, SCOPE_CHAIN,
                        RejectionReason.BUDGET_EXCEEDED, BUDGET,
                        "budget bgt-support-bots-monthly (MONTHLY on GROUP support-bots) has 2500 of 15000 credits"
                                + " left, 4000 requested"),
                new UsageRecordedEvent(LEDGER, "cmd-0008", AT, RESERVATION, 1_200L, 950L, 950L, 0L, 250L,
                        List.of(new Leg(MEMBER_ACCOUNT, 800L), new Leg(GROUP_ACCOUNT, 150L)), SCOPE_CHAIN,
                        1_830L, 412L, "gpt-4o-mini", "openai"),
                new ReservationReleasedEvent(LEDGER, "cmd-0009", AT, RESERVATION, 1_200L,
                        "client closed the stream"),
                new ReservationExpiredEvent(LEDGER, "cmd-0010", AT, RESERVATION, 1_200L, EXPIRES_AT),
                new BalanceAdjustedEvent(LEDGER, "cmd-0011", AT, MEMBER_ACCOUNT, -250L, ADMIN,
                        "correct double-counted usage"),
                new CreditsRefundedEvent(LEDGER, "cmd-0012", AT, MEMBER_ACCOUNT, 950L, RESERVATION, ADMIN,
                        "provider outage"),
                new BudgetThresholdCrossedEvent(LEDGER, "cmd-0008", AT, BUDGET, GROUP, BudgetPeriod.MONTHLY,
                        WINDOW_START, 80, 12_350L, 15_000L),
                new BudgetExhaustedEvent(LEDGER, "cmd-0014", AT, BUDGET, GROUP, BudgetPeriod.MONTHLY, WINDOW_START,
                        12_500L, 15_000L, true),
                // req-0001 was held 300 credits and billed 320: 300 from the lease, 20 overdrawn on the member
                new LeaseChargedEvent(LEDGER, "cmd-0015", AT, LEASE, "req-0001", 320L, 320L, 0L, 4_700L,
                        List.of(new Leg(MEMBER_ACCOUNT, 300L)), SCOPE_CHAIN, 610L, 140L, "gpt-4o-mini", "openai", 20L,
                        MEMBER_ACCOUNT),
                new CreditOverdrawnEvent(LEDGER, "cmd-0015", AT, LEASE, "req-0001", MEMBER_ACCOUNT, MEMBER, 20L,
                        4_680L, -20L),
                new ReservationRenewedEvent(LEDGER, "cmd-0016", AT, "lease-0190a3c2-7d4e-7b1a-9f3e-2c5d8e1f4a6c",
                        EXPIRES_AT),
                // replies
                new CommandAcceptedReply("cmd-0007", LEDGER, "CreditReserved", 1_200L),
                new CommandRejectedReply("cmd-0013", LEDGER, RejectionReason.INSUFFICIENT_CREDITS,
                        "account acct-grp-support-bots has 20000 credits available, 50000 requested", null, 1_200L),
                // governance state
                new OrgState(LEDGER, "ACME Corp", "acme", EntityStatus.ACTIVE, LEDGER, ORG_ACCOUNT, 100L, AT),
                new WorkspaceState(WORKSPACE, LEDGER, "Customer Support", EntityStatus.ACTIVE, AT),
                new GroupState(GROUP.id(), LEDGER, WORKSPACE, GroupKind.TEAM, "Support bots", EntityStatus.ACTIVE,
                        GROUP_ACCOUNT, AT),
                new MemberState(MEMBER.id(), LEDGER, WORKSPACE, GROUP.id(), MemberKind.USER, "Jane Doe",
                        "jdoe@acme.example", MemberStatus.ACTIVE, MEMBER_ACCOUNT, 5_000L, AT),
                new ApiKeyState(API_KEY_HASH, "key-0001", LEDGER, MEMBER.id(), "jdoe laptop", "k1Jd", KeyStatus.ACTIVE,
                        AT, KEY_EXPIRES_AT),
                new ProjectState("prj-helpdesk", LEDGER, "Helpdesk automation", EntityStatus.ACTIVE, AT),
                // the whole support-bots group may name the project
                new ProjectMemberState("prj-helpdesk", LEDGER, GROUP, AT),
                // No input-token or TPM limit: a null rule places no restriction and is written as null.
                new PolicyState("pol-support-bots", LEDGER, GROUP, "Support bots: small models, office hours",
                        List.of("gpt-4o-mini", "gpt-4.1-mini"), null, 4_096, 60, null,
                        List.of(new TimeWindow(List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                                        DayOfWeek.THURSDAY, DayOfWeek.FRIDAY), LocalTime.of(7, 30), LocalTime.of(19, 0),
                                        "Europe/Berlin"),
                                new TimeWindow(List.of(DayOfWeek.SATURDAY), LocalTime.of(22, 0),
                                        LocalTime.of(6, 0), "Europe/Berlin")),
                        List.of("gpt-4o-mini"), false, AT),
                new BudgetState(BUDGET, LEDGER, GROUP, BudgetPeriod.MONTHLY, 15_000L, List.of(50, 80, 100), true, AT),
                new PriceState("openai", "gpt-4o-mini", new BigDecimal("0.00015"), new BigDecimal("0.0006"),
                        new BigDecimal("0.000075"), null, null, AT),
                new CredentialState("cred-openai-acme", LEDGER, "openai", "ACME production",
                        "Cg+QsBmx+w9NH+VJsY3OySqoet7dBGVDgAHupl60RiWkwoaJi+wUvqdHqIY1NxDyag5s/"
                                + "hMrOKgMWjjjvV47vOu/TsSgAsxGo40Kh7FByQ==",
                        "Qz9w", KeyStatus.ACTIVE, AT),
                new AdminKeyState(ADMIN_KEY_HASH, "adm-0001", LEDGER, AdminRole.ORG_ADMIN, KeyStatus.ACTIVE, AT,
                        KEY_EXPIRES_AT),
                // gateway records: the streamed chat completion behind res-0001, as charged by UsageRecorded
                new GatewayRequestRecord(RESERVATION, LEDGER, MEMBER.id(), MemberKind.USER, "key-0001",
                        "prj-helpdesk", "gpt-4o-mini", "gpt-4o-mini", "openai", "chat.completions", true, false,
                        Priority.NORMAL.name(), RequestOutcome.SUCCESS, 200, null, null, 1_830L, 412L, 1_200L, 950L, 2_340L, 2_215L, AT),
                // alerts: the group budget's 80 % threshold crossed, as notification-service derives it
                new Alert("alr-budget-threshold-3f9a1c0e5b7d2a46", LEDGER, AlertKind.BUDGET_THRESHOLD,
                        AlertSeverity.WARNING, "Budget bgt-support-bots-monthly at 80 %",
                        "12000 of 15000 credits spent in the MONTHLY window starting 2026-11-01 (group support-bots).",
                        BUDGET, GROUP.id(), null, null, AT))
                .forEach(sample -> {
                    if (samples.put(sample.getClass(), sample) != null) {
                        throw new IllegalStateException("two samples of " + sample.getClass().getName());
                    }
                });
        return Map.copyOf(samples);
    }
}

package dev.tally.events.ledger;

import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.envelope.MessageType;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The wire names of every ledger command, event and reply. A rename here is a breaking change for consumers. */
public final class LedgerMessageTypes {

    private static final String DOMAIN = "ledger";

    public static final List<MessageType<? extends LedgerCommand>> COMMANDS = List.of(
            type("OpenLedger", OpenLedgerCommand.class),
            type("OpenAccount", OpenAccountCommand.class),
            type("PurchaseCredits", PurchaseCreditsCommand.class),
            type("TransferCredits", TransferCreditsCommand.class),
            type("DefineBudget", DefineBudgetCommand.class),
            type("RemoveBudget", RemoveBudgetCommand.class),
            type("ReserveCredit", ReserveCreditCommand.class),
            type("RecordUsage", RecordUsageCommand.class),
            type("ReleaseReservation", ReleaseReservationCommand.class),
            type("ExpireReservation", ExpireReservationCommand.class),
            type("AdjustBalance", AdjustBalanceCommand.class),
            type("RefundCredits", RefundCreditsCommand.class),
            type("ChargeLease", ChargeLeaseCommand.class),
            type("SettleLeases", SettleLeasesCommand.class));

    public static final List<MessageType<? extends LedgerEvent>> EVENTS = List.of(
            type("LedgerOpened", LedgerOpenedEvent.class),
            type("AccountOpened", AccountOpenedEvent.class),
            type("CreditsPurchased", CreditsPurchasedEvent.class),
            type("CreditsTransferred", CreditsTransferredEvent.class),
            type("TransferRefused", TransferRefusedEvent.class),
            type("BudgetDefined", BudgetDefinedEvent.class),
            type("BudgetRemoved", BudgetRemovedEvent.class),
            type("CreditReserved", CreditReservedEvent.class),
            type("CreditReservationRejected", CreditReservationRejectedEvent.class),
            type("UsageRecorded", UsageRecordedEvent.class),
            type("ReservationReleased", ReservationReleasedEvent.class),
            type("ReservationExpired", ReservationExpiredEvent.class),
            type("BalanceAdjusted", BalanceAdjustedEvent.class),
            type("CreditsRefunded", CreditsRefundedEvent.class),
            type("BudgetThresholdCrossed", BudgetThresholdCrossedEvent.class),
            type("BudgetExhausted", BudgetExhaustedEvent.class),
            type("LeaseCharged", LeaseChargedEvent.class),
            type("ReservationRenewed", ReservationRenewedEvent.class),
            type("CreditOverdrawn", CreditOverdrawnEvent.class));

    public static final List<MessageType<? extends LedgerReply>> REPLIES = List.of(
            type("CommandAccepted", CommandAcceptedReply.class),
            type("CommandRejected", CommandRejectedReply.class));

    private static final Map<Class<?>, MessageType<?>> BY_CLASS = all().stream()
            .collect(Collectors.toUnmodifiableMap(MessageType::javaType, Function.identity()));
    private static final Map<String, MessageType<?>> BY_CE_TYPE = all().stream()
            .collect(Collectors.toUnmodifiableMap(MessageType::ceType, Function.identity()));

    private LedgerMessageTypes() {
    }

    public static List<MessageType<?>> all() {
        return java.util.stream.Stream.of(COMMANDS, EVENTS, REPLIES).flatMap(List::stream)
                .<MessageType<?>>map(t -> t).toList();
    }

    @SuppressWarnings("unchecked")
    public static <T> MessageType<T> of(Class<T> javaType) {
        MessageType<?> type = BY_CLASS.get(javaType);
        if (type == null) {
            throw new IllegalArgumentException("not a ledger message: " + javaType.getName());
        }
        return (MessageType<T>) type;
    }

    public static MessageType<?> ofCeType(String ceType) {
        MessageType<?> type = BY_CE_TYPE.get(ceType);
        if (type == null) {
            throw new InvalidEnvelopeException("unknown message type " + ceType);
        }
        return type;
    }

    /** The short type name of an event or reply, e.g. {@code CreditReserved}. */
    public static String nameOf(Object message) {
        return of(message.getClass()).name();
    }

    private static <T> MessageType<T> type(String name, Class<T> javaType) {
        return new MessageType<>(DOMAIN, name, 1, javaType);
    }
}

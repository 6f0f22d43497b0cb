package dev.tally.notification.alert;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertMessageTypes;
import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.notification.NotificationSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The two topics that carry alerts: tally.alerts as published, and the ledger's events that are alerts. A record that
 * cannot be read goes to {@code <topic>.DLT} with the reason (see NotificationKafkaConfiguration).
 */
@Component
public class AlertListeners {

    public static final String ALERTS_LISTENER = "notification-alerts";
    public static final String LEDGER_LISTENER = "notification-ledger";

    private static final String THRESHOLD = LedgerMessageTypes.of(BudgetThresholdCrossedEvent.class).ceType();
    private static final String EXHAUSTED = LedgerMessageTypes.of(BudgetExhaustedEvent.class).ceType();
    private static final String REJECTED = LedgerMessageTypes.of(CreditReservationRejectedEvent.class).ceType();

    private final AlertIntake intake;
    private final RefusalRate refusals;

    public AlertListeners(AlertIntake intake, NotificationSettings settings) {
        this.intake = intake;
        this.refusals = new RefusalRate(settings.refusalThreshold(), settings.refusalWindow());
    }

    @KafkaListener(id = ALERTS_LISTENER, groupId = ALERTS_LISTENER, topics = "tally.alerts")
    void onAlert(ConsumerRecord<String, byte[]> record) {
        String type = type(record);
        if (!AlertMessageTypes.ALERT.ceType().equals(type)) {
            throw new InvalidEnvelopeException("not an alert: ce_type " + type);
        }
        intake.accept(TallyJson.read(record.value(), Alert.class), "tally.alerts").block();
    }

    @KafkaListener(id = LEDGER_LISTENER, groupId = LEDGER_LISTENER, topics = "tally.ledger.events")
    void onLedgerEvent(ConsumerRecord<String, byte[]> record) {
        String type = type(record);
        Optional<Alert> alert = Optional.empty();
        if (THRESHOLD.equals(type)) {
            alert = LedgerAlerts.of(TallyJson.read(record.value(), BudgetThresholdCrossedEvent.class));
        } else if (EXHAUSTED.equals(type)) {
            alert = Optional.of(LedgerAlerts.of(TallyJson.read(record.value(), BudgetExhaustedEvent.class)));
        } else if (REJECTED.equals(type)) {
            alert = refusals.record(TallyJson.read(record.value(), CreditReservationRejectedEvent.class));
        }
        alert.ifPresent(a -> intake.accept(a, "tally.ledger.events").block());
    }

    private static String type(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(CloudEventHeaders.TYPE);
        if (header == null) {
            throw new InvalidEnvelopeException("missing header " + CloudEventHeaders.TYPE);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}

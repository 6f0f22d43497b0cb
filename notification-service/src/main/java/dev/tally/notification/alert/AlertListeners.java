package dev.tally.notification.alert;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertMessageTypes;
import dev.tally.events.envelope.CloudEventHeaders;
import dev.tally.events.envelope.InvalidEnvelopeException;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.BudgetExhaustedEvent;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CreditOverdrawnEvent;
import dev.tally.events.ledger.CreditReservationRejectedEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.notification.NotificationSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The two topics that carry alerts: tally.alerts as published, and the ledger's events that are alerts. A record that
 * cannot be read goes to {@code <topic>.DLT} with the reason (see NotificationKafkaConfiguration).
 */
@Component
public class AlertListeners {

    public static final String ALERTS_LISTENER = "notification-alerts";
    public static final String LEDGER_LISTENER = "notification-ledger";

    private static final byte[] THRESHOLD = ceType(BudgetThresholdCrossedEvent.class);
    private static final byte[] EXHAUSTED = ceType(BudgetExhaustedEvent.class);
    private static final byte[] REJECTED = ceType(CreditReservationRejectedEvent.class);
    private static final byte[] OVERDRAWN = ceType(CreditOverdrawnEvent.class);

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

    /**
     * Nearly every ledger event is a charge or a reservation that makes no alert: each is skipped by its
     * {@code ce_type} header, compared as bytes, without reading its value, a whole poll per call.
     */
    // A quarter second more before a budget alert is nothing next to its delivery; fetching (and committing) in
    // batches instead of once per event is what keeps this consumer cheap at full gateway traffic.
    @KafkaListener(id = LEDGER_LISTENER, groupId = LEDGER_LISTENER, topics = "tally.ledger.events", batch = "true",
            properties = {"fetch.min.bytes=65536", "fetch.max.wait.ms=250"})
    void onLedgerEvents(List<ConsumerRecord<String, byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            try {
                onLedgerEvent(records.get(i));
            } catch (RuntimeException e) {
                // The error handler commits the records before it, retries this one and then dead-letters it, as it
                // did for one record at a time; the rest of the poll is delivered again, none counted twice.
                throw new BatchListenerFailedException(String.valueOf(e.getMessage()), e, i);
            }
        }
    }

    private void onLedgerEvent(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
        if (type == null) {
            throw new InvalidEnvelopeException("missing header " + CloudEventHeaders.TYPE);
        }
        Optional<Alert> alert = Optional.empty();
        if (Arrays.equals(THRESHOLD, type.value())) {
            alert = LedgerAlerts.of(TallyJson.read(record.value(), BudgetThresholdCrossedEvent.class));
        } else if (Arrays.equals(EXHAUSTED, type.value())) {
            alert = Optional.of(LedgerAlerts.of(TallyJson.read(record.value(), BudgetExhaustedEvent.class)));
        } else if (Arrays.equals(REJECTED, type.value())) {
            alert = refusals.record(TallyJson.read(record.value(), CreditReservationRejectedEvent.class));
        } else if (Arrays.equals(OVERDRAWN, type.value())) {
            alert = Optional.of(LedgerAlerts.of(TallyJson.read(record.value(), CreditOverdrawnEvent.class)));
        }
        alert.ifPresent(a -> intake.accept(a, "tally.ledger.events").block());
    }

    private static byte[] ceType(Class<?> event) {
        return LedgerMessageTypes.of(event).ceType().getBytes(StandardCharsets.UTF_8);
    }

    private static String type(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(CloudEventHeaders.TYPE);
        if (header == null) {
            throw new InvalidEnvelopeException("missing header " + CloudEventHeaders.TYPE);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}

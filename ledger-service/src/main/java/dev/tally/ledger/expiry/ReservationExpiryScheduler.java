package dev.tally.ledger.expiry;

import dev.tally.events.ledger.ExpireReservationCommand;
import dev.tally.events.topic.Topics;
import dev.tally.ledger.balance.BalanceStore;
import dev.tally.ledger.intake.LedgerRecords;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Expires reservations whose time to live has passed. Durable because the open reservations and their deadlines
 * are rows of the projection, rebuilt from events after any restart. The expiry goes through the command topic like
 * any command, so the replica that owns the ledger applies it in order; its command id is derived from the
 * reservation, so replicas that both notice the same reservation expire it once.
 */
@Component
public class ReservationExpiryScheduler {

    private static final int BATCH = 500;
    private static final Duration RESEND_AFTER = Duration.ofSeconds(10);

    private final BalanceStore store;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Map<String, Instant> recentlySent = new LinkedHashMap<>();

    public ReservationExpiryScheduler(BalanceStore store, KafkaTemplate<String, byte[]> kafka) {
        this.store = store;
        this.kafka = kafka;
    }

    @Scheduled(fixedDelayString = "${tally.ledger.expiry-scan-ms:1000}")
    public void expireOverdue() {
        Instant now = Instant.now();
        forgetOlderThan(now.minus(RESEND_AFTER));
        for (String[] overdue : store.overdueReservations(now, BATCH)) {
            String ledgerId = overdue[0];
            String reservationId = overdue[1];
            String commandId = "expire:" + ledgerId + ":" + reservationId;
            if (recentlySent.putIfAbsent(commandId, now) == null) {
                kafka.send(LedgerRecords.record(Topics.LEDGER_COMMANDS.name(), null, ledgerId, commandId, now,
                        ledgerId, new ExpireReservationCommand(commandId, ledgerId, reservationId)));
            }
        }
    }

    private void forgetOlderThan(Instant cutoff) {
        for (Iterator<Instant> sent = recentlySent.values().iterator(); sent.hasNext(); ) {
            if (sent.next().isBefore(cutoff)) {
                sent.remove();
            } else {
                break;
            }
        }
    }
}

package dev.tally.notification.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.notification.alert.AlertStore;
import dev.tally.notification.alert.StoredAlert;
import dev.tally.notification.delivery.Delivery;
import dev.tally.notification.delivery.DeliveryStatus;
import dev.tally.notification.delivery.DeliveryStore;
import dev.tally.servicekit.auth.Caller;
import dev.tally.servicekit.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

@RestController
public class AlertController {

    private static final int MAX_LIMIT = 500;

    private final AlertStore alerts;
    private final DeliveryStore deliveries;
    private final Clock clock;

    public AlertController(AlertStore alerts, DeliveryStore deliveries, Clock clock) {
        this.alerts = alerts;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlertView(Alert alert, Instant receivedAt, String source, String suppressed,
            Integer escalationLevel, Instant nextEscalationAt, boolean acknowledged, String acknowledgedBy,
            Instant acknowledgedAt, String acknowledgementNote, List<Delivery> deliveries) {

        static AlertView of(StoredAlert s, List<Delivery> deliveries) {
            return new AlertView(s.alert(), s.receivedAt(), s.source(), s.suppressed(), s.escalationLevel(),
                    s.nextEscalationAt(), s.acknowledged(), s.acknowledgedBy(), s.acknowledgedAt(),
                    s.acknowledgementNote(), deliveries);
        }
    }

    public record AcknowledgeRequest(String note) {
    }

    @GetMapping("/alerts")
    Flux<AlertView> list(Caller caller, @RequestParam(name = "org_id", required = false) String orgId,
            @RequestParam(required = false) String kind, @RequestParam(required = false) Boolean acknowledged,
            @RequestParam(required = false) Integer limit) {
        return alerts.list(caller.orgFor(orgId), kind(kind), acknowledged, limit(limit))
                .map(s -> AlertView.of(s, null));
    }

    @GetMapping("/alerts/{id}")
    Mono<AlertView> get(Caller caller, @PathVariable String id) {
        return visible(caller, id)
                .flatMap(s -> deliveries.ofAlert(id).collectList().map(d -> AlertView.of(s, d)));
    }

    /** Stops escalation. Idempotent: acknowledging again keeps the first acknowledgement. */
    @PostMapping("/alerts/{id}/acknowledge")
    Mono<AlertView> acknowledge(Caller caller, @PathVariable String id,
            @RequestBody(required = false) AcknowledgeRequest request) {
        String note = request == null || request.note() == null ? null : request.note().strip();
        if (note != null && note.length() > 1000) {
            throw ApiException.invalid("note", "must be at most 1000 characters");
        }
        return visible(caller, id)
                .flatMap(s -> alerts.acknowledge(id, caller.actor(), note, clock.instant()))
                .then(Mono.defer(() -> get(caller, id)));
    }

    @GetMapping("/deliveries")
    Flux<Delivery> deliveries(Caller caller, @RequestParam(name = "org_id", required = false) String orgId,
            @RequestParam(required = false) String status, @RequestParam(name = "alert_id", required = false)
            String alertId, @RequestParam(name = "channel_id", required = false) String channelId,
            @RequestParam(required = false) Integer limit) {
        DeliveryStatus parsed = null;
        if (status != null) {
            try {
                parsed = DeliveryStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("status", "must be PENDING, FAILED, DELIVERED or DEAD");
            }
        }
        return deliveries.list(caller.orgFor(orgId), parsed, alertId, channelId, limit(limit));
    }

    private Mono<StoredAlert> visible(Caller caller, String id) {
        return alerts.find(id).filter(s -> caller.administers(s.alert().orgId()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("alert", id)));
    }

    private static AlertKind kind(String kind) {
        if (kind == null) {
            return null;
        }
        try {
            return AlertKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("kind", "is not an alert kind");
        }
    }

    private static int limit(Integer limit) {
        if (limit == null) {
            return 100;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }
}

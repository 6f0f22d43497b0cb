package dev.tally.notification.api;

import dev.tally.events.alert.Alert;
import dev.tally.events.alert.AlertKind;
import dev.tally.events.alert.AlertSeverity;
import dev.tally.notification.alert.AlertStore;
import dev.tally.notification.channel.Channel;
import dev.tally.notification.channel.ChannelFactory;
import dev.tally.notification.channel.ChannelRequest;
import dev.tally.notification.channel.ChannelStore;
import dev.tally.notification.channel.ChannelView;
import dev.tally.notification.delivery.Delivery;
import dev.tally.notification.delivery.DeliveryStatus;
import dev.tally.notification.delivery.DeliveryStore;
import dev.tally.notification.support.Ids;
import dev.tally.servicekit.auth.Caller;
import dev.tally.servicekit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Instant;

@RestController
public class ChannelController {

    private final ChannelFactory factory;
    private final ChannelStore channels;
    private final AlertStore alerts;
    private final DeliveryStore deliveries;
    private final TransactionalOperator tx;
    private final Clock clock;

    public ChannelController(ChannelFactory factory, ChannelStore channels, AlertStore alerts,
            DeliveryStore deliveries, TransactionalOperator tx, Clock clock) {
        this.factory = factory;
        this.channels = channels;
        this.alerts = alerts;
        this.deliveries = deliveries;
        this.tx = tx;
        this.clock = clock;
    }

    @PostMapping("/channels")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<ChannelView> create(Caller caller, @RequestBody ChannelRequest request) {
        if (request == null) {
            throw ApiException.missing("name");
        }
        String orgId = caller.orgFor(request.orgId());
        // Checking the channel's addresses asks DNS, which blocks: not on the event loop.
        return Mono.fromCallable(() -> factory.create(orgId, request)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(created -> channels.insert(created.channel())
                        .map(c -> ChannelView.of(c, created.generatedSecret())));
    }

    @GetMapping("/channels")
    Flux<ChannelView> list(Caller caller, @RequestParam(name = "org_id", required = false) String orgId) {
        return channels.ofOrg(caller.orgFor(orgId)).map(c -> ChannelView.of(c, null));
    }

    @GetMapping("/channels/{id}")
    Mono<ChannelView> get(Caller caller, @PathVariable String id) {
        return visible(caller, id).map(c -> ChannelView.of(c, null));
    }

    @DeleteMapping("/channels/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(Caller caller, @PathVariable String id) {
        return visible(caller, id).flatMap(c -> channels.delete(c.id())).then();
    }

    /**
     * Sends a TEST alert to this one channel through the normal delivery path (retries, dead letters and all); the
     * answer names the delivery to follow on {@code GET /deliveries?alert_id=…}. Test alerts ignore quiet hours:
     * whoever asks for one is awake.
     */
    @PostMapping("/channels/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Delivery> test(Caller caller, @PathVariable String id) {
        return visible(caller, id).flatMap(channel -> {
            Instant now = clock.instant();
            Alert alert = new Alert(Ids.newId("alr-test-"), channel.orgId(), AlertKind.TEST, AlertSeverity.INFO,
                    "Test notification from Tally",
                    "Channel '" + channel.name() + "' (" + channel.kind() + ") is set up: this is what Tally alerts"
                            + " look like here. Requested by " + caller.actor() + ".",
                    null, null, null, null, now);
            Delivery delivery = new Delivery(Ids.newId("dlv-"), alert.alertId(), channel.id(), channel.orgId(),
                    channel.escalationLevel(), DeliveryStatus.PENDING, 0, now, null, null, now, now, null);
            return tx.transactional(alerts.insertIfNew(alert, "api:test", now)
                    .then(deliveries.insert(delivery))
                    .then(alerts.escalation(alert.alertId(), channel.escalationLevel(), null)))
                    .thenReturn(delivery);
        });
    }

    private Mono<Channel> visible(Caller caller, String id) {
        return channels.find(id)
                .filter(c -> c.deletedAt() == null && caller.administers(c.orgId()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("channel", id)));
    }
}

package dev.tally.notification.delivery;

import dev.tally.events.alert.Alert;
import dev.tally.notification.NotificationSettings;
import dev.tally.notification.alert.AlertStore;
import dev.tally.notification.channel.Channel;
import dev.tally.notification.channel.ChannelStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Sends what is due. Deliveries are rows first, so a crash loses nothing: a restarted (or another) instance finds them
 * still PENDING or FAILED and sends them. Each failure schedules the next attempt with exponential back-off and
 * jitter; after the last attempt, or a failure retrying cannot fix, the alert goes to the dead-letter topic.
 */
@Component
public class DeliveryWorker implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final DeliveryStore deliveries;
    private final ChannelStore channels;
    private final AlertStore alerts;
    private final Senders senders;
    private final ChannelBreakers breakers;
    private final DeadLetters deadLetters;
    private final NotificationSettings settings;
    private final Backoff backoff;
    private final Clock clock;
    private final ExecutorService pool;

    public DeliveryWorker(DeliveryStore deliveries, ChannelStore channels, AlertStore alerts, Senders senders,
            ChannelBreakers breakers, DeadLetters deadLetters, NotificationSettings settings, Clock clock) {
        this.deliveries = deliveries;
        this.channels = channels;
        this.alerts = alerts;
        this.senders = senders;
        this.breakers = breakers;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.clock = clock;
        this.backoff = new Backoff(settings.initialBackoff(), settings.backoffMultiplier(), settings.backoffJitter(),
                settings.maxBackoff());
        this.pool = Executors.newFixedThreadPool(settings.workerThreads(), runnable -> {
            Thread thread = new Thread(runnable, "notification-delivery");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Scheduled(fixedDelayString = "${tally.notification.poll-interval}")
    public void sendDue() {
        try {
            Instant now = clock.instant();
            List<Delivery> due = deliveries.claimDue(now, now.plus(settings.lease()), settings.batchSize())
                    .collectList().block();
            if (due == null || due.isEmpty()) {
                return;
            }
            List<Callable<Void>> work = due.stream().<Callable<Void>>map(d -> () -> {
                process(d);
                return null;
            }).toList();
            pool.invokeAll(work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("delivery poll failed; retrying at the next poll", e);
        }
    }

    void process(Delivery d) {
        try {
            Channel channel = channels.find(d.channelId()).block();
            Alert alert = alerts.find(d.alertId()).blockOptional().orElseThrow().alert();
            Instant now = clock.instant();
            if (channel == null || channel.deletedAt() != null) {
                dead(alert, channel, d, d.attempts(), "the channel was deleted", now);
                return;
            }
            Optional<Instant> quiet = DeliveryPlanner.deferral(alert, channel, now);
            if (quiet.isPresent()) {
                deliveries.postpone(d.id(), quiet.get(), true, null, now).block();
                return;
            }
            CircuitBreaker breaker = breakers.of(channel.id());
            if (!breaker.tryAcquirePermission()) {
                deliveries.postpone(d.id(), now.plus(settings.breakerOpenFor()), false,
                        "circuit breaker open for the channel after repeated failures", now).block();
                return;
            }
            int attempt = d.attempts() + 1;
            long start = System.nanoTime();
            try {
                senders.send(channel, alert, d, attempt);
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                deliveries.delivered(d.id(), attempt, clock.instant()).block();
                log.info("delivered {} to {} channel {} (attempt {})", alert.alertId(), channel.kind(), channel.id(),
                        attempt);
            } catch (DeliveryFailure failure) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
                String reason = failure.getMessage();
                if (failure.permanent() || attempt >= settings.maxAttempts()) {
                    dead(alert, channel, d, attempt, (failure.permanent() ? "permanent failure: "
                            : "gave up after " + attempt + " attempts: ") + reason, clock.instant());
                } else {
                    Instant next = clock.instant().plus(backoff.after(attempt));
                    deliveries.failed(d.id(), attempt, reason, next, clock.instant()).block();
                    log.info("delivery {} attempt {} failed ({}); next at {}", d.id(), attempt, reason, next);
                }
            }
        } catch (RuntimeException e) {
            // The lease runs out and the delivery is taken up again: nothing is lost, at worst sent late.
            log.warn("delivery {} could not be processed", d.id(), e);
        }
    }

    private void dead(Alert alert, Channel channel, Delivery d, int attempts, String reason, Instant now) {
        if (channel != null) {
            deadLetters.publish(alert, channel, d, attempts, reason);
        }
        deliveries.dead(d.id(), attempts, reason, now).block();
        log.warn("delivery {} of {} is dead: {}", d.id(), alert.alertId(), reason);
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}

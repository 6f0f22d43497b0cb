package dev.tally.notification.delivery;

import dev.tally.notification.support.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;

@Component
public class DeliveryStore {

    private final DatabaseClient db;

    public DeliveryStore(DatabaseClient db) {
        this.db = db;
    }

    /** False when the alert already has a delivery to the channel. */
    public Mono<Boolean> insert(Delivery d) {
        return Sql.bind(db.sql("""
                        insert into delivery (id, alert_id, channel_id, org_id, escalation_level, status, attempts,
                            next_attempt_at, deferred_until, created_at, updated_at)
                        values (:id, :alert, :channel, :org, :level, :status, 0, :next, :deferred, :at, :at)
                        on conflict (alert_id, channel_id) do nothing"""),
                        "id", d.id(), "alert", d.alertId(), "channel", d.channelId(), "org", d.orgId(),
                        "level", d.escalationLevel(), "status", d.status().name(), "next", d.nextAttemptAt(),
                        "deferred", Sql.nullable(d.deferredUntil(), Instant.class), "at", d.createdAt())
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /**
     * Leases the deliveries that are due to this worker in one statement, so replicas never take the same one; a
     * worker that dies leaves a lease that runs out, and the delivery is taken up again.
     */
    public Flux<Delivery> claimDue(Instant now, Instant leaseUntil, int limit) {
        return Sql.bind(db.sql("""
                        update delivery set lease_until = :lease
                        where id in (select id from delivery
                                     where status in ('PENDING', 'FAILED') and next_attempt_at <= :now
                                       and (lease_until is null or lease_until < :now)
                                     order by next_attempt_at limit :limit for update skip locked)
                        returning *"""),
                        "now", now, "lease", leaseUntil, "limit", limit)
                .map(DeliveryStore::delivery).all();
    }

    public Mono<Void> delivered(String id, int attempts, Instant now) {
        return Sql.bind(db.sql("""
                        update delivery set status = 'DELIVERED', attempts = :attempts, delivered_at = :now,
                            updated_at = :now, lease_until = null, deferred_until = null, last_error = null
                        where id = :id"""), "id", id, "attempts", attempts, "now", now).then();
    }

    public Mono<Void> failed(String id, int attempts, String error, Instant next, Instant now) {
        return Sql.bind(db.sql("""
                        update delivery set status = 'FAILED', attempts = :attempts, last_error = :error,
                            next_attempt_at = :next, updated_at = :now, lease_until = null, deferred_until = null
                        where id = :id"""), "id", id, "attempts", attempts, "error", error, "next", next,
                "now", now).then();
    }

    public Mono<Void> dead(String id, int attempts, String error, Instant now) {
        return Sql.bind(db.sql("""
                        update delivery set status = 'DEAD', attempts = :attempts, last_error = :error,
                            updated_at = :now, lease_until = null, deferred_until = null
                        where id = :id"""), "id", id, "attempts", attempts, "error", error, "now", now).then();
    }

    /** Not now, without counting an attempt: quiet hours ({@code deferred}) or an open circuit breaker. */
    public Mono<Void> postpone(String id, Instant until, boolean deferred, String reason, Instant now) {
        return Sql.bind(db.sql("""
                        update delivery set next_attempt_at = :until, deferred_until = :deferred,
                            last_error = coalesce(:reason, last_error), updated_at = :now, lease_until = null
                        where id = :id"""), "id", id, "until", until,
                "deferred", Sql.nullable(deferred ? until : null, Instant.class),
                "reason", Sql.nullable(reason, String.class), "now", now).then();
    }

    public Flux<Delivery> list(String orgId, DeliveryStatus status, String alertId, String channelId, int limit) {
        StringBuilder sql = new StringBuilder("select * from delivery where org_id = :org");
        if (status != null) {
            sql.append(" and status = :status");
        }
        if (alertId != null) {
            sql.append(" and alert_id = :alert");
        }
        if (channelId != null) {
            sql.append(" and channel_id = :channel");
        }
        sql.append(" order by created_at desc, id limit :limit");
        var spec = db.sql(sql.toString()).bind("org", orgId).bind("limit", limit);
        if (status != null) {
            spec = spec.bind("status", status.name());
        }
        if (alertId != null) {
            spec = spec.bind("alert", alertId);
        }
        if (channelId != null) {
            spec = spec.bind("channel", channelId);
        }
        return spec.map(DeliveryStore::delivery).all();
    }

    public Flux<Delivery> ofAlert(String alertId) {
        return db.sql("select * from delivery where alert_id = :alert order by escalation_level, created_at")
                .bind("alert", alertId).map(DeliveryStore::delivery).all();
    }

    static Delivery delivery(Readable r) {
        return new Delivery(Sql.string(r, "id"), Sql.string(r, "alert_id"), Sql.string(r, "channel_id"),
                Sql.string(r, "org_id"), Sql.intValue(r, "escalation_level"),
                DeliveryStatus.valueOf(Sql.string(r, "status")), Sql.intValue(r, "attempts"),
                Sql.instant(r, "next_attempt_at"), Sql.instant(r, "deferred_until"), Sql.string(r, "last_error"),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"), Sql.instant(r, "delivered_at"));
    }
}

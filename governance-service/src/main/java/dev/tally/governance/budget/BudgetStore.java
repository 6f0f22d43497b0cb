package dev.tally.governance.budget;

import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.governance.support.Sql;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

@Component
public class BudgetStore {

    private final DatabaseClient db;

    public BudgetStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> insert(Budget b) {
        return Sql.bind(db.sql("""
                        insert into budget (id, org_id, target_level, target_id, name, period, limit_credits,
                            thresholds, auto_disable, created_at, updated_at)
                        values (:id, :org, :level, :target, :name, :period, :limit, :thresholds, :auto,
                            :created, :updated)"""),
                        "id", b.id(), "org", b.orgId(), "level", b.target().level().name(), "target", b.target().id(),
                        "name", Sql.nullable(b.name(), String.class), "period", b.period().name(),
                        "limit", b.limitCredits(), "thresholds", Json.of(TallyJson.write(b.thresholdsPercent())),
                        "auto", b.autoDisable(), "created", b.createdAt().atOffset(ZoneOffset.UTC),
                        "updated", b.updatedAt().atOffset(ZoneOffset.UTC))
                .then();
    }

    public Mono<Void> update(Budget b) {
        return Sql.bind(db.sql("""
                        update budget set name = :name, limit_credits = :limit, thresholds = :thresholds,
                            auto_disable = :auto, updated_at = :updated where id = :id"""),
                        "id", b.id(), "name", Sql.nullable(b.name(), String.class), "limit", b.limitCredits(),
                        "thresholds", Json.of(TallyJson.write(b.thresholdsPercent())), "auto", b.autoDisable(),
                        "updated", b.updatedAt().atOffset(ZoneOffset.UTC))
                .then();
    }

    public Mono<Void> delete(String id) {
        return db.sql("delete from budget where id = :id").bind("id", id).then();
    }

    public Mono<Budget> find(String id) {
        return db.sql("select * from budget where id = :id").bind("id", id).map(row -> budget(row)).one();
    }

    public Flux<Budget> ofTarget(Scope target) {
        return db.sql("select * from budget where target_level = :level and target_id = :id order by id")
                .bind("level", target.level().name()).bind("id", target.id()).map(row -> budget(row)).all();
    }

    public Flux<Budget> all() {
        return db.sql("select * from budget order by id").map(row -> budget(row)).all();
    }

    private static Budget budget(Readable r) {
        Integer[] thresholds = TallyJson.read(r.get("thresholds", Json.class).asArray(), Integer[].class);
        return new Budget(Sql.string(r, "id"), Sql.string(r, "org_id"),
                new Scope(ScopeLevel.valueOf(Sql.string(r, "target_level")), Sql.string(r, "target_id")),
                Sql.string(r, "name"), BudgetPeriod.valueOf(Sql.string(r, "period")), Sql.longValue(r, "limit_credits"),
                List.copyOf(Arrays.asList(thresholds)), Sql.bool(r, "auto_disable"), Sql.instant(r, "created_at"),
                Sql.instant(r, "updated_at"));
    }
}

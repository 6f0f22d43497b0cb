package dev.tally.governance.policy;

import dev.tally.events.json.TallyJson;
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

@Component
public class PolicyStore {

    private final DatabaseClient db;

    public PolicyStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> insert(Policy p) {
        return db.sql("""
                        insert into policy (id, org_id, target_level, target_id, name, rules, created_at, updated_at)
                        values (:id, :org, :level, :target, :name, :rules, :created, :updated)""")
                .bind("id", p.id()).bind("org", p.orgId()).bind("level", p.target().level().name())
                .bind("target", p.target().id()).bind("name", p.name())
                .bind("rules", Json.of(TallyJson.write(p.rules())))
                .bind("created", p.createdAt().atOffset(ZoneOffset.UTC))
                .bind("updated", p.updatedAt().atOffset(ZoneOffset.UTC)).then();
    }

    public Mono<Void> update(Policy p) {
        return db.sql("update policy set name = :name, rules = :rules, updated_at = :updated where id = :id")
                .bind("id", p.id()).bind("name", p.name()).bind("rules", Json.of(TallyJson.write(p.rules())))
                .bind("updated", p.updatedAt().atOffset(ZoneOffset.UTC)).then();
    }

    public Mono<Void> delete(String id) {
        return db.sql("delete from policy where id = :id").bind("id", id).then();
    }

    public Mono<Policy> find(String id) {
        return db.sql("select * from policy where id = :id").bind("id", id).map(row -> policy(row)).one();
    }

    public Flux<Policy> ofTarget(Scope target) {
        return db.sql("select * from policy where target_level = :level and target_id = :id order by id")
                .bind("level", target.level().name()).bind("id", target.id()).map(row -> policy(row)).all();
    }

    public Flux<Policy> all() {
        return db.sql("select * from policy order by id").map(row -> policy(row)).all();
    }

    private static Policy policy(Readable r) {
        return new Policy(Sql.string(r, "id"), Sql.string(r, "org_id"),
                new Scope(ScopeLevel.valueOf(Sql.string(r, "target_level")), Sql.string(r, "target_id")),
                Sql.string(r, "name"), TallyJson.read(r.get("rules", Json.class).asArray(), PolicyRules.class),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }
}

package dev.tally.governance.pricing;

import dev.tally.governance.support.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;
import java.time.ZoneOffset;

@Component
public class PriceStore {

    private final DatabaseClient db;

    public PriceStore(DatabaseClient db) {
        this.db = db;
    }

    public Flux<Price> all() {
        return db.sql("select * from price order by provider, model").map(row -> price(row)).all();
    }

    public Mono<Price> find(String provider, String model) {
        return db.sql("select * from price where provider = :p and model = :m").bind("p", provider).bind("m", model)
                .map(row -> price(row)).one();
    }

    /** Creates or replaces the price of {@code p}'s provider and model. */
    public Mono<Void> upsert(Price p) {
        return insert(p, """
                on conflict (provider, model) do update set input_usd_per_1k = excluded.input_usd_per_1k,
                    output_usd_per_1k = excluded.output_usd_per_1k,
                    cached_input_usd_per_1k = excluded.cached_input_usd_per_1k,
                    cache_write_usd_per_1k = excluded.cache_write_usd_per_1k,
                    reasoning_usd_per_1k = excluded.reasoning_usd_per_1k, updated_at = excluded.updated_at""");
    }

    /** Adds {@code p} unless its provider and model are priced already. */
    public Mono<Void> insertIfAbsent(Price p) {
        return insert(p, "on conflict (provider, model) do nothing");
    }

    private Mono<Void> insert(Price p, String onConflict) {
        return Sql.bind(db.sql("""
                        insert into price (provider, model, input_usd_per_1k, output_usd_per_1k,
                            cached_input_usd_per_1k, cache_write_usd_per_1k, reasoning_usd_per_1k, updated_at)
                        values (:p, :m, :in, :out, :cached, :write, :reasoning, :at)
                        """ + onConflict),
                        "p", p.provider(), "m", p.model(), "in", p.inputUsdPer1k(), "out", p.outputUsdPer1k(),
                        "cached", Sql.nullable(p.cachedInputUsdPer1k(), BigDecimal.class),
                        "write", Sql.nullable(p.cacheWriteUsdPer1k(), BigDecimal.class),
                        "reasoning", Sql.nullable(p.reasoningUsdPer1k(), BigDecimal.class),
                        "at", p.updatedAt().atOffset(ZoneOffset.UTC))
                .then();
    }

    public Mono<Void> delete(String provider, String model) {
        return db.sql("delete from price where provider = :p and model = :m").bind("p", provider).bind("m", model)
                .then();
    }

    private static Price price(Readable r) {
        return new Price(Sql.string(r, "provider"), Sql.string(r, "model"), r.get("input_usd_per_1k", BigDecimal.class),
                r.get("output_usd_per_1k", BigDecimal.class), r.get("cached_input_usd_per_1k", BigDecimal.class),
                r.get("cache_write_usd_per_1k", BigDecimal.class), r.get("reasoning_usd_per_1k", BigDecimal.class),
                Sql.instant(r, "updated_at"));
    }
}

package dev.tally.governance.pricing;

import dev.tally.governance.support.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform's built-in prices ({@code pricing/catalog.csv}), added at start-up before the prices are republished.
 * A model or alias is added the first time the catalog lists it and never again (table
 * {@code price_catalog_applied}): a new release brings its new models, while a price a platform admin changed or
 * deleted stays as they left it.
 */
@Component
@Order(5)
public class PriceCatalog implements ApplicationRunner {

    static final String RESOURCE = "/pricing/catalog.csv";
    private static final Logger log = LoggerFactory.getLogger(PriceCatalog.class);

    private final DatabaseClient db;
    private final PriceStore prices;
    private final Tx tx;
    private final List<Price> catalog;

    public PriceCatalog(DatabaseClient db, PriceStore prices, Tx tx) {
        this.db = db;
        this.prices = prices;
        this.tx = tx;
        this.catalog = read(Instant.now());
    }

    @Override
    public void run(ApplicationArguments args) {
        Long added = tx.run(Flux.fromIterable(catalog).concatMap(this::addIfNew).filter(Boolean::booleanValue)
                .count()).block();
        if (added != null && added > 0) {
            log.info("price catalog: {} models and aliases added", added);
        }
    }

    /** Whether {@code price} was added now: never when the catalog added it once already. */
    private Mono<Boolean> addIfNew(Price price) {
        return db.sql("""
                        insert into price_catalog_applied (provider, model, applied_at) values (:p, :m, now())
                        on conflict (provider, model) do nothing""")
                .bind("p", price.provider()).bind("m", price.model())
                .fetch().rowsUpdated()
                .flatMap(inserted -> inserted == 0 ? Mono.just(false)
                        : prices.insertIfAbsent(price).thenReturn(true));
    }

    /** Every model and alias of the catalog, as a price; each alias priced as its model. */
    static List<Price> read(Instant at) {
        try (InputStream in = PriceCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCE + " on the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), at);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Price> parse(String csv, Instant at) {
        List<Price> prices = new ArrayList<>();
        boolean header = true;
        int lineNumber = 0;
        for (String line : csv.split("\n")) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] f = trimmed.split(",", -1);
            if (f.length != 8) {
                throw new IllegalStateException(RESOURCE + " line " + lineNumber + ": 8 columns expected, found "
                        + f.length);
            }
            List<String> names = new ArrayList<>(List.of(f[1].strip()));
            for (String alias : f[2].strip().split("\\s+")) {
                if (!alias.isEmpty()) {
                    names.add(alias);
                }
            }
            for (String name : names) {
                prices.add(new Price(f[0].strip(), name, perThousand(f[3]), perThousand(f[4]), optional(f[5]),
                        optional(f[6]), optional(f[7]), at));
            }
        }
        return List.copyOf(prices);
    }

    /** The catalog says dollars per million tokens, as providers publish them; prices are stored per 1,000. */
    private static BigDecimal perThousand(String perMillion) {
        return new BigDecimal(perMillion.strip()).movePointLeft(3).stripTrailingZeros();
    }

    private static BigDecimal optional(String perMillion) {
        return perMillion.isBlank() ? null : perThousand(perMillion);
    }
}

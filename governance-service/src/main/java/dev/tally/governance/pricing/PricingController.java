package dev.tally.governance.pricing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.governance.auth.Caller;
import dev.tally.governance.support.Changes;
import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The platform price list: readable by anyone (Agent Control's {@code GET /pricing}), editable by platform admins. */
@RestController
public class PricingController {

    public record PriceRequest(@JsonProperty("input_usd_per_1k") BigDecimal inputUsdPer1k,
            @JsonProperty("output_usd_per_1k") BigDecimal outputUsdPer1k,
            @JsonProperty("cached_input_usd_per_1k") BigDecimal cachedInputUsdPer1k,
            @JsonProperty("cache_write_usd_per_1k") BigDecimal cacheWriteUsdPer1k,
            @JsonProperty("reasoning_usd_per_1k") BigDecimal reasoningUsdPer1k) {
    }

    private final PriceStore prices;
    private final Changes changes;

    public PricingController(PriceStore prices, Changes changes) {
        this.prices = prices;
        this.changes = changes;
    }

    @GetMapping("/pricing")
    public Flux<PriceView> list() {
        return prices.all().map(PriceView::of);
    }

    @PutMapping("/pricing/{provider}/{model}")
    public Mono<PriceView> put(Caller caller, @PathVariable String provider, @PathVariable String model,
            @RequestBody PriceRequest request) {
        caller.requirePlatformAdmin();
        String p = provider(provider);
        String m = Check.name(model, "model");
        Price price = price(p, m, request, Instant.now());
        return changes.commit(prices.upsert(price)
                        .then(changes.publish(price.state()))
                        .then(changes.audit(null, caller.actor(), "price.set", "price", p + "/" + m,
                                auditDetail(price))))
                .thenReturn(PriceView.of(price));
    }

    @DeleteMapping("/pricing/{provider}/{model}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(Caller caller, @PathVariable String provider, @PathVariable String model) {
        caller.requirePlatformAdmin();
        String p = provider(provider);
        String m = Check.name(model, "model");
        return prices.find(p, m)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("price", p + "/" + m)))
                .flatMap(price -> changes.commit(prices.delete(p, m)
                        .then(changes.publishDeletion(price.state()))
                        .then(changes.audit(null, caller.actor(), "price.deleted", "price", p + "/" + m,
                                Map.of()))));
    }

    /** Stored lower case, so that {@code OpenAI} and {@code openai} name one price, on PUT and DELETE alike. */
    private static String provider(String provider) {
        return Check.name(provider, "provider").toLowerCase(Locale.ROOT);
    }

    static Price price(String provider, String model, PriceRequest request, Instant at) {
        return new Price(provider, model, usd(request.inputUsdPer1k(), "input_usd_per_1k"),
                usd(request.outputUsdPer1k(), "output_usd_per_1k"),
                optionalUsd(request.cachedInputUsdPer1k(), "cached_input_usd_per_1k"),
                optionalUsd(request.cacheWriteUsdPer1k(), "cache_write_usd_per_1k"),
                optionalUsd(request.reasoningUsdPer1k(), "reasoning_usd_per_1k"), at);
    }

    private static Map<String, Object> auditDetail(Price price) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("input_usd_per_1k", price.inputUsdPer1k().toPlainString());
        detail.put("output_usd_per_1k", price.outputUsdPer1k().toPlainString());
        putIfSet(detail, "cached_input_usd_per_1k", price.cachedInputUsdPer1k());
        putIfSet(detail, "cache_write_usd_per_1k", price.cacheWriteUsdPer1k());
        putIfSet(detail, "reasoning_usd_per_1k", price.reasoningUsdPer1k());
        return detail;
    }

    private static void putIfSet(Map<String, Object> detail, String field, BigDecimal usd) {
        if (usd != null) {
            detail.put(field, usd.toPlainString());
        }
    }

    /** Absent or null: the model has no separate rate, and the input (cache) or output (reasoning) price applies. */
    private static BigDecimal optionalUsd(BigDecimal value, String field) {
        return value == null ? null : usd(value, field);
    }

    /**
     * $1,000 per 1,000 tokens, hundreds of times the dearest model's: with {@code credits_per_usd} at most a million,
     * a request of ten million tokens costs at most 10^13 credits, within what an amount may be.
     */
    static final BigDecimal MAX_USD_PER_1K = BigDecimal.valueOf(1000);

    private static BigDecimal usd(BigDecimal value, String field) {
        if (value == null) {
            throw ApiException.missing(field);
        }
        if (value.signum() < 0) {
            throw ApiException.invalid(field, "must not be negative");
        }
        if (value.scale() > 10 || value.precision() - value.scale() > 10) {
            throw ApiException.invalid(field, "has more than 10 digits before or after the decimal point");
        }
        if (value.compareTo(MAX_USD_PER_1K) > 0) {
            throw ApiException.invalid(field, "must be at most " + MAX_USD_PER_1K.toPlainString()
                    + " dollars per 1,000 tokens");
        }
        return value;
    }
}

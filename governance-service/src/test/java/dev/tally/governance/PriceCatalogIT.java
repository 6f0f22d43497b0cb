package dev.tally.governance;

import dev.tally.events.governance.PriceState;
import dev.tally.governance.pricing.PriceCatalog;
import dev.tally.governance.support.GovernanceTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The built-in price catalog: its models are priced and published, and an admin's changes outlive restarts. */
class PriceCatalogIT extends GovernanceTestBase {

    @Autowired
    private PriceCatalog catalog;

    @Test
    void the_catalogs_models_and_aliases_are_priced_and_published_to_the_gateways() {
        JsonNode prices = as(null).read("/pricing");

        assertThat(prices).extracting(p -> p.path("model").asString())
                .contains("gpt-4.1", "gpt-5-mini", "o3", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5",
                        "claude-haiku-4-5", "gpt-4o-mini");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(stateTopic().get("price:anthropic/claude-sonnet-4-5", PriceState.class)).get()
                        .satisfies(p -> assertThat(p.outputUsdPer1k()).isEqualByComparingTo("0.015")));
    }

    @Test
    void what_a_platform_admin_changed_or_deleted_stays_so_when_the_catalog_is_read_again() {
        platform().delete("/pricing/openai/gpt-4.1-nano").expectStatus().isNoContent();
        platform().put("/pricing/openai/gpt-4.1-mini", Map.of("input_usd_per_1k", 0.001, "output_usd_per_1k", 0.002))
                .expectStatus().isOk();

        catalog.run(null); // what every start of governance-service does

        JsonNode prices = as(null).read("/pricing");
        assertThat(prices).extracting(p -> p.path("model").asString()).doesNotContain("gpt-4.1-nano");
        assertThat(prices).filteredOn(p -> p.path("model").asString().equals("gpt-4.1-mini")).singleElement()
                .satisfies(p -> assertThat(p.path("input_usd_per_1k").decimalValue()).isEqualByComparingTo("0.001"));
    }
}

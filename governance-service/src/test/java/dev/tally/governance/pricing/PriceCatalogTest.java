package dev.tally.governance.pricing;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceCatalogTest {

    private static final Instant AT = Instant.parse("2026-12-07T00:00:00Z");
    private final List<Price> catalog = PriceCatalog.read(AT);

    @Test
    void rates_are_read_per_million_and_stored_per_thousand() {
        Price gpt41 = price("openai", "gpt-4.1");

        assertThat(gpt41.inputUsdPer1k()).isEqualByComparingTo("0.002");
        assertThat(gpt41.outputUsdPer1k()).isEqualByComparingTo("0.008");
        assertThat(gpt41.cachedInputUsdPer1k()).isEqualByComparingTo("0.0005");
        assertThat(gpt41.cacheWriteUsdPer1k()).as("no cache-write rate: the input rate").isNull();
        assertThat(gpt41.reasoningUsdPer1k()).isNull();
    }

    @Test
    void an_alias_is_priced_as_its_model() {
        Price model = price("anthropic", "claude-sonnet-4-5-20250929");
        Price alias = price("anthropic", "claude-sonnet-4-5");

        assertThat(alias).usingRecursiveComparison().ignoringFields("model").isEqualTo(model);
        assertThat(model.cacheWriteUsdPer1k()).isEqualByComparingTo("0.00375");
    }

    @Test
    void every_model_the_migrations_seeded_is_in_the_catalog_at_the_same_price() {
        // The catalog is the one list of built-in prices; the migrations' rows were its first edition.
        assertThat(price("openai", "gpt-4o-mini").inputUsdPer1k()).isEqualByComparingTo("0.00015");
        assertThat(price("openai", "gpt-4o").cachedInputUsdPer1k()).isEqualByComparingTo("0.00125");
        assertThat(price("anthropic", "claude-3-haiku-20240307").cacheWriteUsdPer1k()).isEqualByComparingTo("0.0003");
        assertThat(price("mock", "mock-model").outputUsdPer1k()).isEqualByComparingTo("0.002");
        assertThat(price("openai", "text-embedding-3-small").outputUsdPer1k()).isEqualByComparingTo("0");
    }

    @Test
    void names_are_unique_and_rates_are_never_negative() {
        Set<String> names = new HashSet<>();
        for (Price p : catalog) {
            assertThat(names.add(p.provider() + "/" + p.model())).as("%s/%s once", p.provider(), p.model()).isTrue();
            for (BigDecimal rate : new BigDecimal[] {p.inputUsdPer1k(), p.outputUsdPer1k(), p.cachedInputUsdPer1k(),
                    p.cacheWriteUsdPer1k(), p.reasoningUsdPer1k()}) {
                assertThat(rate == null || rate.signum() >= 0).as("%s rates", p.model()).isTrue();
            }
        }
        assertThat(catalog).hasSizeGreaterThan(40);
    }

    @Test
    void a_model_name_is_priced_by_one_provider_only_as_the_gateway_routes_by_it() {
        Set<String> models = new HashSet<>();
        for (Price p : catalog) {
            assertThat(models.add(p.model())).as("%s priced once", p.model()).isTrue();
        }
    }

    @Test
    void azure_gemini_and_bedrock_models_are_priced_for_their_providers() {
        assertThat(price("azure", "azure/gpt-4o-mini")).usingRecursiveComparison().ignoringFields("provider", "model")
                .isEqualTo(price("openai", "gpt-4o-mini"));
        assertThat(price("gemini", "gemini-2.5-flash").outputUsdPer1k()).isEqualByComparingTo("0.0025");
        assertThat(price("gemini", "gemini-2.5-pro").cachedInputUsdPer1k()).isEqualByComparingTo("0.000125");
        Price sonnet = price("bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(sonnet.cacheWriteUsdPer1k()).isEqualByComparingTo("0.00375");
        assertThat(price("bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .usingRecursiveComparison().ignoringFields("model").isEqualTo(sonnet);
        assertThat(price("bedrock", "amazon.nova-micro-v1:0").inputUsdPer1k()).isEqualByComparingTo("0.000035");
        assertThat(price("bedrock", "meta.llama3-3-70b-instruct-v1:0").outputUsdPer1k())
                .isEqualByComparingTo("0.00072");
    }

    @Test
    void a_line_with_the_wrong_number_of_columns_is_named() {
        String csv = """
                provider,model,aliases,input,output,cached_input,cache_write,reasoning
                openai,gpt-x,,1,2
                """;

        assertThatThrownBy(() -> PriceCatalog.parse(csv, AT)).hasMessageContaining("line 2")
                .hasMessageContaining("8 columns");
    }

    private Price price(String provider, String model) {
        return catalog.stream().filter(p -> p.provider().equals(provider) && p.model().equals(model)).findFirst()
                .orElseThrow(() -> new AssertionError(provider + "/" + model + " not in the catalog"));
    }
}

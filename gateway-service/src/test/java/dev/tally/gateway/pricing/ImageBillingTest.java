package dev.tally.gateway.pricing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImageBillingTest {

    private final ImageBilling gpt4o = ImageBilling.tiles(85, 170);

    @Test
    void low_detail_is_the_base() {
        assertThat(gpt4o.tokens(new ImageSize(4000, 4000), "low")).isEqualTo(85);
        assertThat(gpt4o.tokens(null, "low")).isEqualTo(85);
    }

    @Test
    void high_detail_follows_openai_s_examples() {
        // 1024 × 1024: no scaling to fit 2048, shortest side to 768 → 768 × 768, 4 tiles.
        assertThat(gpt4o.tokens(new ImageSize(1024, 1024), "high")).isEqualTo(765);
        // 2048 × 4096 → 1024 × 2048 → 768 × 1536: 2 × 3 tiles.
        assertThat(gpt4o.tokens(new ImageSize(2048, 4096), "high")).isEqualTo(1105);
        assertThat(gpt4o.tokens(new ImageSize(100, 100), "auto")).isEqualTo(255);
    }

    @Test
    void an_image_of_unknown_size_is_held_at_the_most_tiles_768_by_2048() {
        assertThat(gpt4o.tokens(null, "high")).isEqualTo(1445).isEqualTo(gpt4o.tokens(new ImageSize(768, 2048), "high"));
        for (int w = 1; w < 6000; w += 97) {
            for (int h = 1; h < 6000; h += 89) {
                assertThat(gpt4o.tokens(new ImageSize(w, h), "high")).isLessThanOrEqualTo(1445);
            }
        }
    }

    @Test
    void patch_models_count_32_px_patches_up_to_1536_times_the_multiplier() {
        ImageBilling mini = ImageBilling.patches(1.62);

        assertThat(mini.tokens(new ImageSize(1024, 1024), "low")).isEqualTo((int) Math.ceil(1024 * 1.62));
        assertThat(mini.tokens(new ImageSize(1800, 2400), "high")).isEqualTo((int) Math.ceil(1536 * 1.62));
        assertThat(mini.tokens(null, "high")).isEqualTo((int) Math.ceil(1536 * 1.62));
    }

    @Test
    void claude_counts_area_over_750_after_its_resize_and_at_most_about_1600() {
        ImageBilling claude = ImageBilling.claude(1568, 1600, false);

        assertThat(claude.tokens(new ImageSize(1000, 1000), "auto")).isEqualTo(1334);
        assertThat(claude.tokens(new ImageSize(200, 200), "low")).isEqualTo(54);
        assertThat(claude.tokens(new ImageSize(8000, 8000), "auto")).isEqualTo(1600);
        assertThat(claude.tokens(null, "auto")).isEqualTo(1600);
    }

    @Test
    void the_model_family_chooses_the_rates() {
        assertThat(ModelFamily.of("gpt-4o-mini", "openai").images()).isEqualTo(ImageBilling.tiles(2833, 5667));
        assertThat(ModelFamily.of("o1", "openai").images()).isEqualTo(ImageBilling.tiles(75, 150));
        assertThat(ModelFamily.of("gpt-5", "openai").images()).isEqualTo(ImageBilling.tiles(70, 140));
        assertThat(ModelFamily.of("gpt-4.1-nano", "openai").images()).isEqualTo(ImageBilling.patches(2.46));
        assertThat(ModelFamily.of("claude-3-5-sonnet-20241022", "anthropic").images())
                .isEqualTo(ImageBilling.claude(1568, 1600, false));
        assertThat(ModelFamily.of("claude-opus-4-7", "anthropic").images()).isEqualTo(ImageBilling.claude(2576, 5000, true));
    }
}

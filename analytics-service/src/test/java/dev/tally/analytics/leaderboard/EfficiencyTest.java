package dev.tally.analytics.leaderboard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EfficiencyTest {

    @Test
    void score_is_completion_tokens_per_prompt_token_with_three_decimals() {
        assertThat(Efficiency.score(1_000, 500)).isEqualTo(0.5);
        assertThat(Efficiency.score(3, 1)).isEqualTo(0.333);
        assertThat(Efficiency.score(100, 250)).isEqualTo(2.5);
    }

    @Test
    void no_prompt_means_no_score() {
        assertThat(Efficiency.score(0, 10)).isNull();
    }

    @Test
    void cost_of_output_is_credits_per_thousand_completion_tokens() {
        assertThat(Efficiency.creditsPerThousandCompletionTokens(30, 2_000)).isEqualTo(15.0);
        assertThat(Efficiency.creditsPerThousandCompletionTokens(30, 0)).isNull();
    }
}

package dev.tally.gateway.pricing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ModelFamilyTest {

    @ParameterizedTest
    @CsvSource({
            "gpt-4o-mini, openai, true, 1.0, false, false",
            "gpt-4.1, openai, true, 1.0, false, false",
            "o1, openai, true, 1.0, true, false",
            "o3-mini, openai, true, 1.0, true, false",
            "o4-mini-2025-04-16, openai, true, 1.0, true, false",
            "gpt-5, openai, true, 1.0, true, false",
            "gpt-5-chat-latest, openai, true, 1.0, false, false",
            "gpt-4-turbo, openai, false, 1.0, false, false",
            "gpt-3.5-turbo, openai, false, 1.0, false, false",
            "gpt-3.5-turbo-instruct, openai, false, 1.0, false, false",
            "text-embedding-3-small, openai, false, 1.0, false, false",
            "text-embedding-ada-002, openai, false, 1.0, false, false",
            "davinci-002, openai, false, 1.0, false, false",
            "claude-3-haiku-20240307, anthropic, false, 1.35, false, true",
            "claude-sonnet-4-20250514, anthropic, false, 1.35, false, true",
            "claude-opus-4-1-20250805, anthropic, false, 1.35, false, true",
            "claude-sonnet-4-5, anthropic, false, 1.35, false, true",
            "claude-opus-4-7, anthropic, false, 2.0, false, true",
            "claude-sonnet-5, anthropic, false, 2.0, false, true",
            "anthropic.claude-3-haiku-20240307-v1:0, bedrock, false, 1.35, false, true",
            "meta-llama-3.1-8b-instruct, vllm, false, 1.35, false, false",
            "mock-model, mock, false, 1.0, false, false"})
    void families_are_recognised_by_name(String model, String provider, boolean o200k, double factor,
            boolean reasoning, boolean anthropic) {
        ModelFamily family = ModelFamily.of(model, provider);

        assertThat(family.o200k()).isEqualTo(o200k);
        assertThat(family.textFactor()).isEqualTo(factor);
        assertThat(family.reasoning()).isEqualTo(reasoning);
        assertThat(family.anthropic()).isEqualTo(anthropic);
    }
}

package dev.tally.gateway.pricing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizerTest {

    /** Counts differently in the two encodings (14 vs 19 tokens with jtokkit 1.1). */
    private static final String RUSSIAN = "Привет, как дела? Это проверка токенизатора.";

    private static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();
    private static final Encoding O200K = REGISTRY.getEncoding(EncodingType.O200K_BASE);
    private static final Encoding CL100K = REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Tokenizer tokenizer = new Tokenizer();

    private static JsonNode messages(String json) {
        return JSON.readTree(json);
    }

    @Test
    void gpt_4o_models_count_with_o200k() {
        assertThat(O200K.countTokens(RUSSIAN)).isNotEqualTo(CL100K.countTokens(RUSSIAN));

        assertThat(tokenizer.count("gpt-4o-mini", RUSSIAN)).isEqualTo(O200K.countTokens(RUSSIAN));
        assertThat(tokenizer.count("o3-mini", RUSSIAN)).isEqualTo(O200K.countTokens(RUSSIAN));
    }

    @Test
    void other_models_count_with_cl100k() {
        assertThat(tokenizer.count("gpt-4-turbo", RUSSIAN)).isEqualTo(CL100K.countTokens(RUSSIAN));
        assertThat(tokenizer.count("claude-3-haiku", RUSSIAN)).isEqualTo(CL100K.countTokens(RUSSIAN));
    }

    @Test
    void empty_text_is_zero_tokens() {
        assertThat(tokenizer.count("gpt-4o", "")).isZero();
    }

    @Test
    void no_messages_cost_the_three_tokens_that_prime_the_reply() {
        assertThat(tokenizer.promptTokens("gpt-4o", messages("[]"))).isEqualTo(3);
    }

    @Test
    void each_message_adds_three_tokens_of_framing_plus_its_role_and_content() {
        JsonNode messages = messages("""
                [{"role": "system", "content": "You are terse."},
                 {"role": "user", "content": "%s"}]""".formatted(RUSSIAN));

        int expected = 3
                + 3 + O200K.countTokens("system") + O200K.countTokens("You are terse.")
                + 3 + O200K.countTokens("user") + O200K.countTokens(RUSSIAN);
        assertThat(tokenizer.promptTokens("gpt-4o", messages)).isEqualTo(expected);
    }

    @Test
    void prompt_tokens_use_the_model_s_encoding() {
        JsonNode messages = messages("[{\"role\": \"user\", \"content\": \"%s\"}]".formatted(RUSSIAN));

        assertThat(tokenizer.promptTokens("gpt-4", messages))
                .isEqualTo(3 + 3 + CL100K.countTokens("user") + CL100K.countTokens(RUSSIAN));
    }

    @Test
    void a_name_adds_one_token_plus_the_name() {
        JsonNode plain = messages("[{\"role\": \"user\", \"content\": \"Hello\"}]");
        JsonNode named = messages("[{\"role\": \"user\", \"name\": \"alice_smith\", \"content\": \"Hello\"}]");

        assertThat(tokenizer.promptTokens("gpt-4o", named) - tokenizer.promptTokens("gpt-4o", plain))
                .isEqualTo(1 + O200K.countTokens("alice_smith"));
    }

    @Test
    void array_content_counts_the_text_of_every_part() {
        JsonNode messages = messages("""
                [{"role": "user", "content": [{"type": "text", "text": "Describe this."},
                                              {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}},
                                              {"type": "text", "text": "%s"}]}]""".formatted(RUSSIAN));

        int expected = 3 + 3 + O200K.countTokens("user") + O200K.countTokens("Describe this.")
                + O200K.countTokens(RUSSIAN);
        assertThat(tokenizer.promptTokens("gpt-4o", messages)).isEqualTo(expected);
    }
}

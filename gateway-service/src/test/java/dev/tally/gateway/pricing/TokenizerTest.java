package dev.tally.gateway.pricing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizerTest {

    /** Counts differently in the two encodings (14 vs 19 tokens with jtokkit 1.1). */
    private static final String RUSSIAN = "Привет, как дела? Это проверка токенизатора.";

    private static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();
    private static final Encoding O200K = REGISTRY.getEncoding(EncodingType.O200K_BASE);
    private static final Encoding CL100K = REGISTRY.getEncoding(EncodingType.CL100K_BASE);

    private final Tokenizer tokenizer = new Tokenizer();

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
}

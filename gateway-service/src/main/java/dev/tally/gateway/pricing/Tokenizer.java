package dev.tally.gateway.pricing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import org.springframework.stereotype.Component;

/**
 * Counts text with o200k_base for the GPT-4o/4.1/5 and o-series families and cl100k_base for everything else
 * ({@link ModelFamily}). A model whose tokenizer is not one of these gets the cl100k count scaled up by the
 * {@link PromptMeter}, not here: this is the raw count.
 */
@Component
public class Tokenizer {

    private final Encoding o200k;
    private final Encoding cl100k;

    public Tokenizer() {
        EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
        o200k = registry.getEncoding(EncodingType.O200K_BASE);
        cl100k = registry.getEncoding(EncodingType.CL100K_BASE);
    }

    public int count(String model, String text) {
        return count(ModelFamily.of(model, null), text);
    }

    public int count(ModelFamily family, String text) {
        return text.isEmpty() ? 0 : (family.o200k() ? o200k : cl100k).countTokensOrdinary(text);
    }
}

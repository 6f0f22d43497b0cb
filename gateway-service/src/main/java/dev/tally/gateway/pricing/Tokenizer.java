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

    /** Characters of recently counted texts remembered per encoding (about 4 MB each as Latin-1 strings). */
    static final long REMEMBERED_CHARS = 4_000_000;

    private final RecentCounts o200k;
    private final RecentCounts cl100k;

    public Tokenizer() {
        this(REMEMBERED_CHARS);
    }

    Tokenizer(long rememberedChars) {
        EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
        Encoding o200kBase = registry.getEncoding(EncodingType.O200K_BASE);
        Encoding cl100kBase = registry.getEncoding(EncodingType.CL100K_BASE);
        o200k = new RecentCounts(rememberedChars, o200kBase::countTokensOrdinary);
        cl100k = new RecentCounts(rememberedChars, cl100kBase::countTokensOrdinary);
    }

    public int count(String model, String text) {
        return count(ModelFamily.of(model, null), text);
    }

    public int count(ModelFamily family, String text) {
        return text.isEmpty() ? 0 : (family.o200k() ? o200k : cl100k).count(text);
    }
}

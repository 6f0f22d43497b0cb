package dev.tally.gateway.pricing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Counts prompt tokens the way OpenAI bills chat messages (3 tokens of framing per message, 1 more for a name, 3 to
 * prime the reply), with o200k_base for the GPT-4o/o-series family and cl100k_base for everything else. Other
 * vendors' tokenizers differ by a few percent; the estimate only sizes the reservation, the charge uses the
 * provider's own counts.
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

    public int promptTokens(String model, JsonNode messages) {
        Encoding encoding = encodingFor(model);
        int tokens = 3;
        for (JsonNode message : messages) {
            tokens += 3;
            tokens += count(encoding, message.path("role").asString(""));
            if (message.hasNonNull("name")) {
                tokens += 1 + count(encoding, message.path("name").asString(""));
            }
            JsonNode content = message.path("content");
            if (content.isString()) {
                tokens += count(encoding, content.asString());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    tokens += count(encoding, part.path("text").asString(""));
                }
            }
        }
        return tokens;
    }

    public int count(String model, String text) {
        return count(encodingFor(model), text);
    }

    private static int count(Encoding encoding, String text) {
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    private Encoding encodingFor(String model) {
        return model.startsWith("gpt-4o") || model.startsWith("o1") || model.startsWith("o3")
                || model.startsWith("o4") || model.startsWith("gpt-4.1") || model.startsWith("gpt-5") ? o200k : cl100k;
    }
}

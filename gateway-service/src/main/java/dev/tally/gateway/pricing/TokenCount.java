package dev.tally.gateway.pricing;

import tools.jackson.databind.JsonNode;

/**
 * A meter's running count of one request: text tokens (scaled by the family's factor at the end) and media tokens
 * (already the provider's own). Shared by the chat, Messages and Responses meters.
 */
final class TokenCount {

    final ModelFamily family;
    private final Tokenizer tokenizer;
    long text;
    long media;

    TokenCount(Tokenizer tokenizer, ModelFamily family) {
        this.tokenizer = tokenizer;
        this.family = family;
    }

    int tokens(String s) {
        return s.isEmpty() ? 0 : tokenizer.count(family, s);
    }

    int json(JsonNode node) {
        return tokenizer.count(family, node.toString());
    }
}

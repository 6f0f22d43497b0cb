package dev.tally.gateway.responses;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a provider keeps of earlier responses and bills again as input when a request continues one
 * ({@code previous_response_id}) or a conversation ({@code conversation}), which the body does not show. A response
 * this replica answered is bounded by what it was billed: its input and output tokens are the most its stored
 * context can add (reasoning among them, though providers drop earlier reasoning). Anything else (a response another
 * replica answered or one before a restart, a conversation, which grows outside the gateway) is held at
 * {@code tally.gateway.responses.stored-context-tokens}, the context window of the models it is meant for.
 */
@Component
public class StoredContext {

    /** Response ids remembered per replica, the oldest forgotten first: a few megabytes at most. */
    static final int REMEMBERED = 100_000;

    private final long unknownBound;
    /** A stored response: the organisation whose request it answered, and its billed input and output tokens. */
    private record Stored(String orgId, long tokens) {
    }

    private final Map<String, Stored> billed = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
            return size() > REMEMBERED;
        }
    };

    public StoredContext(@Value("${tally.gateway.responses.stored-context-tokens:128000}") long unknownBound) {
        this.unknownBound = unknownBound;
    }

    /** The most input tokens the provider can add to this body from what it stored; 0 when it continues nothing. */
    public long bound(JsonNode body) {
        long bound = 0;
        JsonNode conversation = body.path("conversation");
        if (conversation.isString() || conversation.isObject()) {
            bound += unknownBound;
        }
        JsonNode previous = body.path("previous_response_id");
        if (previous.isString()) {
            Stored known;
            synchronized (billed) {
                known = billed.get(previous.asString());
            }
            bound += known != null ? known.tokens() : unknownBound;
        }
        return bound;
    }

    /** The organisation a response this replica answered belongs to; empty for any other. */
    public Optional<String> owner(String responseId) {
        synchronized (billed) {
            return Optional.ofNullable(billed.get(responseId)).map(Stored::orgId);
        }
    }

    /** A response the provider stored for the organisation: its id, and its usage's input and output tokens. */
    public void remember(String orgId, JsonNode response) {
        String id = response.path("id").asString("");
        JsonNode usage = response.path("usage");
        if (id.isEmpty() || !usage.path("input_tokens").isNumber() || !usage.path("output_tokens").isNumber()
                || !response.path("store").asBoolean(true)) {
            return;
        }
        long tokens = Math.max(0, usage.path("input_tokens").asLong()) + Math.max(0, usage.path("output_tokens")
                .asLong());
        synchronized (billed) {
            billed.put(id, new Stored(orgId, tokens));
        }
    }
}

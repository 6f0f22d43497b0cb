package dev.tally.gateway.provider;

/**
 * Which provider API a request is for (OpenAI's four, or Anthropic's Messages): the path a provider serves it at,
 * whether its answers come in pieces when asked to ({@code "stream": true}), and so how its answers are read for what
 * was billed.
 */
public enum UpstreamApi {

    CHAT_COMPLETIONS("/chat/completions", true),
    COMPLETIONS("/completions", true),
    EMBEDDINGS("/embeddings", false),
    /** OpenAI's Responses API, forwarded as the client sent it; its stream is typed events, its usage Responses'. */
    RESPONSES("/responses", true),
    /** Anthropic's own Messages API, forwarded as the client sent it (at {@code <base-url>/v1/messages}). */
    MESSAGES("/v1/messages", true);

    private final String path;
    private final boolean streams;

    UpstreamApi(String path, boolean streams) {
        this.path = path;
        this.streams = streams;
    }

    /** Relative to a provider's base URL, which ends in {@code /v1}. */
    public String path() {
        return path;
    }

    /**
     * Whether the API takes {@code stream} at all: OpenAI refuses request fields an endpoint does not know, so an
     * embeddings body must not get {@code "stream": false}.
     */
    public boolean streams() {
        return streams;
    }
}

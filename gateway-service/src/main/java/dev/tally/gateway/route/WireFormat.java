package dev.tally.gateway.route;

/**
 * The format a route answers in, errors and streams included: OpenAI's (errors as {@code {"error": {message, type,
 * param, code}}}, streams as data-only events ending with {@code [DONE]}), OpenAI's Responses API (OpenAI's errors;
 * streams as named, typed events ending with {@code response.completed}), or Anthropic's Messages API (errors as
 * {@code {"type": "error", "error": {type, message}}}, streams as named events ending with {@code message_stop}).
 */
public enum WireFormat {
    OPENAI,
    OPENAI_RESPONSES,
    ANTHROPIC;

    /**
     * Whether a stream is typed events named by their {@code type} (each {@code event:} line kept), whose last event
     * carries the usage and ends the stream: no {@code [DONE]}, and an answer without that event broke off.
     */
    public boolean typedEvents() {
        return this != OPENAI;
    }
}

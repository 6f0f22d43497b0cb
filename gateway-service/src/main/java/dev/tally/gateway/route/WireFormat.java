package dev.tally.gateway.route;

/**
 * The format a route answers in, errors and streams included: OpenAI's (errors as {@code {"error": {message, type,
 * param, code}}}, streams as data-only events ending with {@code [DONE]}) or Anthropic's Messages API (errors as
 * {@code {"type": "error", "error": {type, message}}}, streams as named events ending with {@code message_stop}).
 */
public enum WireFormat {
    OPENAI,
    ANTHROPIC
}

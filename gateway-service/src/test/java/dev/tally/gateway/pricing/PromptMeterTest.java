package dev.tally.gateway.pricing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class PromptMeterTest {

    private static final String RUSSIAN = "Привет, как дела? Это проверка токенизатора.";
    private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ModelFamily GPT_4O = ModelFamily.of("gpt-4o", "openai");
    private static final String HELLO = "[{\"role\": \"user\", \"content\": \"Hello\"}]";

    private final PromptMeter meter = new PromptMeter(new Tokenizer());

    private int tokens(ModelFamily family, String json) {
        return meter.inputTokens(family, JSON.readTree(json));
    }

    private int tokens(String json) {
        return tokens(GPT_4O, json);
    }

    /** What a body adds to the same body with only the Hello message. */
    private int added(String fields) {
        return tokens("{\"messages\": " + HELLO + ", " + fields + "}") - tokens("{\"messages\": " + HELLO + "}");
    }

    private int addedByMessage(String message) {
        return tokens("{\"messages\": [" + message + "]}") - tokens("{\"messages\": []}");
    }

    private static int o200k(JsonNode node) {
        return O200K.countTokensOrdinary(node.toString());
    }

    @Test
    void no_messages_cost_the_three_tokens_that_prime_the_reply() {
        assertThat(tokens("{\"messages\": []}")).isEqualTo(3);
    }

    @Test
    void each_message_adds_three_tokens_of_framing_plus_its_role_and_content() {
        String body = """
                {"messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "%s"}]}"""
                .formatted(RUSSIAN);

        assertThat(tokens(body)).isEqualTo(3
                + 3 + O200K.countTokens("system") + O200K.countTokens("You are terse.")
                + 3 + O200K.countTokens("user") + O200K.countTokens(RUSSIAN));
        assertThat(tokens(ModelFamily.of("gpt-4", "openai"), body)).isEqualTo(3
                + 3 + CL100K.countTokens("system") + CL100K.countTokens("You are terse.")
                + 3 + CL100K.countTokens("user") + CL100K.countTokens(RUSSIAN));
    }

    @Test
    void a_name_adds_one_token_plus_the_name() {
        assertThat(addedByMessage("{\"role\": \"user\", \"name\": \"alice_smith\", \"content\": \"Hello\"}")
                - addedByMessage("{\"role\": \"user\", \"content\": \"Hello\"}"))
                .isEqualTo(1 + O200K.countTokens("alice_smith"));
    }

    @Test
    void array_content_counts_text_and_refusal_parts() {
        assertThat(addedByMessage("""
                {"role": "assistant", "content": [{"type": "text", "text": "Describe this."},
                                                  {"type": "refusal", "refusal": "%s"}]}""".formatted(RUSSIAN)))
                .isEqualTo(3 + O200K.countTokens("assistant") + 2 * PromptMeter.PER_PART
                        + O200K.countTokens("Describe this.") + O200K.countTokens(RUSSIAN));
    }

    @Test
    void an_assistant_refusal_field_is_counted() {
        assertThat(addedByMessage("{\"role\": \"assistant\", \"refusal\": \"I cannot help with that.\"}"))
                .isEqualTo(3 + O200K.countTokens("assistant") + O200K.countTokens("I cannot help with that."));
    }

    @Test
    void tool_calls_and_legacy_function_calls_count_their_json_plus_framing() {
        String calls = """
                [{"id": "call_1", "type": "function",
                  "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\", \\"unit\\": \\"C\\"}"}}]""";
        String functionCall = "{\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Oslo\\\"}\"}";

        assertThat(addedByMessage("{\"role\": \"assistant\", \"content\": null, \"tool_calls\": " + calls + "}"))
                .isEqualTo(3 + O200K.countTokens("assistant") + PromptMeter.PER_TOOL_CALL
                        + o200k(JSON.readTree(calls).get(0)));
        assertThat(addedByMessage("{\"role\": \"assistant\", \"function_call\": " + functionCall + "}"))
                .isEqualTo(3 + O200K.countTokens("assistant") + PromptMeter.PER_TOOL_CALL
                        + o200k(JSON.readTree(functionCall)));
    }

    @Test
    void a_tool_result_counts_its_call_id_and_content() {
        assertThat(addedByMessage("{\"role\": \"tool\", \"tool_call_id\": \"call_1\", \"content\": \"18 degrees\"}"))
                .isEqualTo(3 + O200K.countTokens("tool") + PromptMeter.PER_TOOL_CALL + O200K.countTokens("call_1")
                        + O200K.countTokens("18 degrees"));
    }

    @Test
    void tool_and_function_definitions_count_their_json_plus_a_block_and_a_per_tool_overhead() {
        String tool = """
                {"type": "function", "function": {"name": "get_weather", "description": "Weather in a city",
                 "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}""";
        int json = o200k(JSON.readTree(tool));

        assertThat(added("\"tools\": [" + tool + ", " + tool + "]"))
                .isEqualTo(PromptMeter.TOOLS_BLOCK + 2 * (PromptMeter.PER_TOOL + json));
        String function = JSON.readTree(tool).get("function").toString();
        assertThat(added("\"functions\": [" + function + "]"))
                .isEqualTo(PromptMeter.TOOLS_BLOCK + PromptMeter.PER_TOOL + O200K.countTokensOrdinary(function));
    }

    @Test
    void a_json_schema_response_format_and_an_object_tool_choice_count_their_json() {
        String format = """
                {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object",
                 "properties": {"capital": {"type": "string"}}}}}""";
        String choice = "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}";

        assertThat(added("\"response_format\": " + format))
                .isEqualTo(PromptMeter.RESPONSE_FORMAT + o200k(JSON.readTree(format)));
        assertThat(added("\"response_format\": {\"type\": \"text\"}")).isZero();
        assertThat(added("\"tool_choice\": " + choice)).isEqualTo(o200k(JSON.readTree(choice)));
    }

    @Test
    void a_remote_image_is_held_at_the_formula_s_maximum_and_low_detail_at_the_base() {
        String remote = "{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": "
                + "{\"url\": \"https://x.test/a.png\"%s}}]}";
        int framing = 3 + O200K.countTokens("user") + PromptMeter.PER_PART;

        assertThat(addedByMessage(remote.formatted(""))).isEqualTo(framing + PromptMeter.PER_IMAGE + 1445);
        assertThat(addedByMessage(remote.formatted(", \"detail\": \"low\""))).isEqualTo(framing + PromptMeter.PER_IMAGE + 85);
        assertThat(tokens(ModelFamily.of("gpt-4o-mini", "openai"), "{\"messages\": [" + remote.formatted("") + "]}"))
                .isEqualTo(3 + framing + PromptMeter.PER_IMAGE + 2833 + 8 * 5667);
    }

    @Test
    void an_inline_image_is_counted_exactly_from_its_real_size() {
        String png = TestImages.dataUrl("png", 1024, 1024);
        String jpeg = TestImages.dataUrl("jpeg", 300, 200);
        String message = "{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"%s\"}}]}";
        int framing = 3 + O200K.countTokens("user") + PromptMeter.PER_PART;

        assertThat(addedByMessage(message.formatted(png))).isEqualTo(framing + PromptMeter.PER_IMAGE + 765);
        assertThat(addedByMessage(message.formatted(jpeg))).isEqualTo(framing + PromptMeter.PER_IMAGE + 255);
        assertThat(tokens(ModelFamily.of("claude-3-5-sonnet", "anthropic"), "{\"messages\": ["
                + message.formatted(TestImages.dataUrl("png", 1000, 1000)) + "]}"))
                .isEqualTo((int) Math.ceil((3 + 3 + CL100K.countTokens("user") + PromptMeter.PER_PART)
                        * ModelFamily.CLAUDE_FACTOR)
                        + PromptMeter.PER_IMAGE + 1334);
    }

    @Test
    void audio_is_bounded_by_its_length_at_the_lowest_bitrate() {
        String data = Base64.getEncoder().encodeToString(new byte[16_000]);
        String message = "{\"role\": \"user\", \"content\": [{\"type\": \"input_audio\", "
                + "\"input_audio\": {\"data\": \"" + data + "\", \"format\": \"mp3\"}}]}";

        // 16,000 bytes at 8 kbit/s is 16 s: 320 tokens at 20 a second, whatever the real bitrate (higher) was.
        assertThat(addedByMessage(message))
                .isEqualTo(3 + O200K.countTokens("user") + PromptMeter.PER_PART + AudioTokens.FRAMING + 320);
    }

    @Test
    void an_unknown_part_counts_its_json_and_never_zero() {
        String part = "{\"type\": \"file\", \"file\": {\"file_id\": \"file-abc123\"}}";

        assertThat(addedByMessage("{\"role\": \"user\", \"content\": [" + part + "]}"))
                .isEqualTo(3 + O200K.countTokens("user") + PromptMeter.PER_PART + o200k(JSON.readTree(part)));
    }

    @Test
    void claude_text_is_the_cl100k_count_times_the_conservative_factor() {
        String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + RUSSIAN + "\"}]}";
        int cl100k = 3 + 3 + CL100K.countTokens("user") + CL100K.countTokens(RUSSIAN);

        assertThat(tokens(ModelFamily.of("claude-3-haiku-20240307", "anthropic"), body))
                .isEqualTo((int) Math.ceil(cl100k * 1.35));
        assertThat(tokens(ModelFamily.of("claude-opus-4-7", "anthropic"), body)).isEqualTo(cl100k * 2);
        assertThat(tokens(ModelFamily.of("llama-3.1-8b", "vllm"), body)).isEqualTo((int) Math.ceil(cl100k * 1.35));
        assertThat(tokens(ModelFamily.of("mock-model", "mock"), body)).isEqualTo(cl100k);
    }

    @Test
    void a_prediction_is_added_to_the_output_bound() {
        assertThat(meter.predictionTokens(GPT_4O, JSON.readTree(
                "{\"prediction\": {\"type\": \"content\", \"content\": \"" + RUSSIAN + "\"}}")))
                .isEqualTo(O200K.countTokens(RUSSIAN));
        assertThat(meter.predictionTokens(GPT_4O, JSON.readTree("{}"))).isZero();
    }
}

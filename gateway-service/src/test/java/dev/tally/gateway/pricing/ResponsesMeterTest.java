package dev.tally.gateway.pricing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ResponsesMeterTest {

    private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ModelFamily GPT_5 = ModelFamily.of("gpt-5", "openai");

    private final ResponsesMeter meter = new ResponsesMeter(new Tokenizer());

    private int tokens(String json) {
        return meter.inputTokens(GPT_5, JSON.readTree(json));
    }

    /** What the fields add to a body with the same string input. */
    private int added(String fields) {
        return tokens("{\"input\": \"Hello\", " + fields + "}") - tokens("{\"input\": \"Hello\"}");
    }

    @Test
    void a_string_input_is_one_user_message_and_instructions_one_system_message() {
        assertThat(tokens("{\"input\": \"What is the capital of France?\", \"instructions\": \"Be terse.\"}"))
                .isEqualTo(3 + 3 + O200K.countTokens("system") + O200K.countTokens("Be terse.")
                        + 3 + O200K.countTokens("user") + O200K.countTokens("What is the capital of France?"));
    }

    @Test
    void message_items_count_their_role_and_every_text_part_as_chat_does() {
        String body = """
                {"input": [{"role": "developer", "content": "Answer briefly."},
                  {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "First part."},
                    {"type": "input_text", "text": "Second part."}]},
                  {"role": "assistant", "content": [{"type": "output_text", "text": "Fine."}]}]}""";

        assertThat(tokens(body)).isEqualTo(3
                + 3 + O200K.countTokens("developer") + O200K.countTokens("Answer briefly.")
                + 3 + O200K.countTokens("user") + 1 + O200K.countTokens("First part.") + 1
                + O200K.countTokens("Second part.")
                + 3 + O200K.countTokens("assistant") + 1 + O200K.countTokens("Fine."));
    }

    @Test
    void tool_calls_their_outputs_and_reasoning_items_are_held_at_their_text_or_json() {
        String call = "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}";
        String reasoning = "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],"
                + "\"encrypted_content\":\"gAAAAABoZ3k1bm90LXJlYWxseS1lbmNyeXB0ZWQ=\"}";
        int base = tokens("{\"input\": []}");

        assertThat(tokens("{\"input\": [" + call + "]}") - base).isEqualTo(8 + O200K.countTokens(call));
        assertThat(tokens("{\"input\": [{\"type\":\"function_call_output\",\"call_id\":\"call_1\","
                + "\"output\":\"Sunny, 24 degrees\"}]}") - base)
                .isEqualTo(8 + O200K.countTokens("call_1") + O200K.countTokens("Sunny, 24 degrees"));
        assertThat(tokens("{\"input\": [" + reasoning + "]}") - base).isEqualTo(O200K.countTokens(reasoning));
    }

    @Test
    void tools_tool_choice_a_json_schema_format_and_a_prompt_template_are_held_as_their_json() {
        String tool = "{\"type\":\"function\",\"name\":\"weather\",\"parameters\":{\"type\":\"object\"}}";
        String format = "{\"type\":\"json_schema\",\"name\":\"city\",\"schema\":{\"type\":\"object\"}}";
        String prompt = "{\"id\":\"pmpt_1\",\"variables\":{\"city\":\"Paris\"}}";

        assertThat(added("\"tools\": [" + tool + "]")).isEqualTo(32 + 16 + O200K.countTokens(tool));
        assertThat(added("\"tool_choice\": \"required\"")).isEqualTo(O200K.countTokens("required"));
        assertThat(added("\"text\": {\"format\": " + format + "}")).isEqualTo(32 + O200K.countTokens(format));
        assertThat(added("\"text\": {\"format\": {\"type\": \"text\"}}")).isZero();
        assertThat(added("\"prompt\": " + prompt)).isEqualTo(O200K.countTokens(prompt));
    }

    @Test
    void images_are_held_by_the_families_formula_at_their_size_or_at_the_cap_when_not_inline() {
        String inline = "{\"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_image\", \"image_url\": \""
                + TestImages.dataUrl("png", 64, 48) + "\", \"detail\": \"high\"}]}]}";
        String remote = "{\"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_image\", "
                + "\"file_id\": \"file-1\"}]}]}";
        int base = tokens("{\"input\": [{\"role\": \"user\", \"content\": []}]}");

        assertThat(tokens(inline) - base).isEqualTo(1 + 8 + GPT_5.images().tokens(new ImageSize(64, 48), "high"));
        assertThat(tokens(remote) - base).isEqualTo(1 + 8 + GPT_5.images().tokens(null, "auto"))
                .isGreaterThan(tokens(inline) - base);
    }
}

package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadyBannerTest {

    @Test
    void the_copy_paste_calls_use_the_gateway_and_the_demo_key() {
        String text = ReadyBanner.tryIt("http://localhost:8080", "cpk_demo");

        assertThat(text).contains("curl http://localhost:8080/v1/chat/completions \\")
                .contains("-H \"Authorization: Bearer cpk_demo\"")
                .contains("\"model\": \"mock-model\"")
                .contains("OpenAI(api_key=\"cpk_demo\", base_url=\"http://localhost:8080/v1\")");
    }
}

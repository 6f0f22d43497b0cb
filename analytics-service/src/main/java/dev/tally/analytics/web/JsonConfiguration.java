package dev.tally.analytics.web;

import dev.tally.events.json.TallyJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class JsonConfiguration {

    /** The API answers in Tally's JSON form (snake_case, ISO-8601), the same as the topics BI teams read. */
    @Bean
    JsonMapperBuilderCustomizer tallyJson() {
        return TallyJson::configure;
    }
}

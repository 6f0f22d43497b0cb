package dev.tally.notification.web;

import dev.tally.events.json.TallyJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

@Configuration
public class JsonConfiguration {

    /**
     * Tally's JSON form, and strict about types: {@code "name": 42} or {@code "auto_disable": "yes"} is a client
     * bug to report, not a value to guess. Strict about names too, unlike Tally's tolerant reading of Kafka records:
     * a request body is typed by a person or a script for this version of the API, and a misspelt field
     * ({@code "personal_quoat"}) silently ignored is a change that never happens; it is refused, naming the field.
     */
    @Bean
    JsonMapperBuilderCustomizer strictTallyJson() {
        return builder -> {
            TallyJson.configure(builder);
            builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            builder.withCoercionConfig(LogicalType.Textual, config -> config
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                    .withCoercionConfig(LogicalType.Boolean, config -> config
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.String, CoercionAction.Fail));
        };
    }
}

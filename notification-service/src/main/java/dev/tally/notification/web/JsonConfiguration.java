package dev.tally.notification.web;

import dev.tally.events.json.TallyJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

@Configuration
public class JsonConfiguration {

    /**
     * Tally's JSON form, and strict about types: {@code "name": 42} or {@code "auto_disable": "yes"} is a client
     * bug to report, not a value to guess.
     */
    @Bean
    JsonMapperBuilderCustomizer strictTallyJson() {
        return builder -> {
            TallyJson.configure(builder);
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

package dev.tally.analytics.web;

import dev.tally.servicekit.auth.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document (springdoc, {@code /v3/api-docs}, the UI at {@code /swagger-ui.html}). The caller is resolved
 * from the key by the service itself, so it is not a parameter a client sends; every route takes the key as a bearer
 * token, which the UI asks for once ("Authorize"). The version is the API's, not the build's: the document is open
 * (docs/security.md) and says nothing about what runs.
 */
@Configuration(proxyBeanMethods = false)
public class ApiReference {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI apiReferenceDocument() {
        return new OpenAPI()
                .info(new Info().title("Tally analytics API").version("1")
                        .description("Usage history, burn rates, leaderboards, forecasts, anomalies and exports, "
                                + "projected from the ledger events and the gateway's request records."))
                .components(new Components().addSecuritySchemes("key", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An admin key (tadm_…) of the organisation, or a platform admin key.")))
                .addSecurityItem(new SecurityRequirement().addList("key"));
    }
}

package dev.tally.governance.ledger;

import dev.tally.governance.GovernanceSettings;
import dev.tally.ledger.client.LedgerClient;
import dev.tally.ledger.client.LedgerClientSettings;
import dev.tally.ledger.client.TraceHeaders;
import dev.tally.servicekit.kafka.KafkaConnection;
import dev.tally.servicekit.tracing.RecordTracing;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration
public class LedgerConfiguration {

    @Bean(destroyMethod = "close")
    LedgerClient ledgerClient(KafkaConnection kafka, GovernanceSettings settings,
            ObjectProvider<RecordTracing> tracing) {
        return new LedgerClient(new LedgerClientSettings(kafka.bootstrapServers(), "tally/governance",
                settings.ledgerReplyTimeout(), kafka.securityProperties()),
                // Tracing off (the default): no RecordTracing bean, and the client writes no trace header.
                tracing.getIfAvailable() == null ? TraceHeaders.NONE : tracing.getObject()::inject);
    }

    /** ledger-service's HTTP API, which answers admin keys only: governance reads it as a platform admin. */
    @Bean
    WebClient ledgerWebClient(GovernanceSettings settings) {
        WebClient.Builder builder = WebClient.builder().baseUrl(settings.ledgerUrl());
        if (settings.ledgerAdminKey() != null && !settings.ledgerAdminKey().isBlank()) {
            builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.ledgerAdminKey().strip());
        }
        return builder.build();
    }
}

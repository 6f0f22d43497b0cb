package dev.tally.governance.ledger;

import dev.tally.governance.GovernanceSettings;
import dev.tally.ledger.client.LedgerClient;
import dev.tally.ledger.client.LedgerClientSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration
public class LedgerConfiguration {

    @Bean(destroyMethod = "close")
    LedgerClient ledgerClient(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
            GovernanceSettings settings) {
        return new LedgerClient(new LedgerClientSettings(bootstrapServers, "tally/governance",
                settings.ledgerReplyTimeout()));
    }

    @Bean
    WebClient ledgerWebClient(GovernanceSettings settings) {
        return WebClient.builder().baseUrl(settings.ledgerUrl()).build();
    }
}

package dev.tally.gateway;

import dev.tally.events.topic.Topics;
import dev.tally.ledger.client.LedgerClient;
import dev.tally.ledger.client.LedgerClientSettings;
import dev.tally.ledger.client.TraceHeaders;
import dev.tally.servicekit.kafka.KafkaConnection;
import dev.tally.servicekit.tracing.RecordTracing;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

@Configuration
public class GatewayConfiguration {

    @Bean(destroyMethod = "close")
    LedgerClient ledgerClient(KafkaConnection kafka, GatewaySettings settings,
            ObjectProvider<RecordTracing> tracing) {
        return new LedgerClient(new LedgerClientSettings(kafka.bootstrapServers(), "tally/gateway",
                settings.reservationTimeout(), kafka.securityProperties()),
                // Tracing off (the default): no RecordTracing bean, and the client writes no trace header.
                tracing.getIfAvailable() == null ? TraceHeaders.NONE : tracing.getObject()::inject);
    }

    @Bean
    NewTopic gatewayRequestsTopic(@Value("${tally.gateway.request-partitions:4}") int partitions) {
        return TopicBuilder.name(Topics.GATEWAY_REQUESTS.name()).partitions(partitions)
                .config("retention.ms", String.valueOf(Topics.GATEWAY_REQUESTS.retentionMs())).build();
    }
}

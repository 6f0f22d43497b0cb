package dev.tally.analytics;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param consumerGroup the projections' consumer group; its committed offsets say how far the tables are
 * @param lagInterval   how often the lag metric is refreshed from the broker
 */
@ConfigurationProperties("tally.analytics")
public record AnalyticsSettings(String consumerGroup, Duration lagInterval) {
}

package dev.tally.analytics.anomaly;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One member whose last 24 hours of spend are far outside its usual pattern ({@link AnomalyDetector}). */
public record Anomaly(String memberId, String name, String kind,
        @JsonProperty("credits_last_24h") long creditsLast24h, double baselineDailyMean,
        double baselineDailyStddev, Double zScore, Double ratio) {
}

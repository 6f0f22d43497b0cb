package dev.tally.analytics.anomaly;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnomalyDetectorTest {

    private final AnomalyDetector detector = AnomalyDetector.DEFAULT;

    @Test
    void a_day_far_above_a_steady_pattern_is_an_anomaly() {
        long[] baseline = {100, 110, 90, 105, 95, 100, 100, 98, 102, 100, 97, 103, 99, 101};
        var verdict = detector.judge(1_000, baseline);
        assertThat(verdict.anomalous()).isTrue();
        assertThat(verdict.baselineMean()).isEqualTo(100.0);
        assertThat(verdict.ratio()).isEqualTo(10.0);
        assertThat(verdict.zScore()).isGreaterThan(3);
    }

    @Test
    void a_normal_day_is_not() {
        long[] baseline = {100, 110, 90, 105, 95, 100, 100, 98, 102, 100, 97, 103, 99, 101};
        assertThat(detector.judge(115, baseline).anomalous()).isFalse();
    }

    @Test
    void a_perfectly_steady_agent_is_not_flagged_for_one_extra_credit() {
        long[] baseline = {50, 50, 50, 50, 50, 50, 50};
        assertThat(detector.judge(51, baseline).anomalous()).isFalse();
        assertThat(detector.judge(100, baseline).anomalous()).isTrue();
    }

    @Test
    void a_volatile_agent_needs_a_bigger_spike() {
        long[] baseline = {0, 400, 0, 400, 0, 400, 0, 400};
        // Mean 200, deviation 200: 700 is below mean + 3σ = 800.
        assertThat(detector.judge(700, baseline).anomalous()).isFalse();
        assertThat(detector.judge(900, baseline).anomalous()).isTrue();
    }

    @Test
    void members_without_enough_history_are_not_judged() {
        var verdict = detector.judge(10_000, new long[] {0, 0, 0, 0, 0, 5, 5});
        assertThat(verdict.judged()).isFalse();
        assertThat(verdict.anomalous()).isFalse();
    }

    @Test
    void tiny_amounts_are_never_anomalies() {
        assertThat(detector.judge(9, new long[] {1, 1, 1, 1}).anomalous()).isFalse();
    }
}

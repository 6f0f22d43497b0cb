package dev.tally.analytics.anomaly;

/**
 * Is the last day's spend of one member (agent or user) far outside its usual pattern? The baseline is its daily
 * spend over the previous days, zero days included. A day is anomalous when it is more than {@code sigmas} standard
 * deviations above the baseline mean AND at least {@code ratio} times that mean AND at least {@code minCredits}: the
 * second and third conditions keep a perfectly steady agent (deviation zero) from being flagged for one extra credit.
 * Members with fewer than {@code minActiveDays} days of spend in the baseline are not judged: there is no pattern yet.
 */
public record AnomalyDetector(double sigmas, double ratio, long minCredits, int minActiveDays) {

    public static final AnomalyDetector DEFAULT = new AnomalyDetector(3.0, 2.0, 10, 3);

    public Verdict judge(long lastDay, long[] baselineDays) {
        int active = 0;
        double sum = 0;
        for (long day : baselineDays) {
            sum += day;
            if (day > 0) {
                active++;
            }
        }
        double mean = baselineDays.length == 0 ? 0 : sum / baselineDays.length;
        double squares = 0;
        for (long day : baselineDays) {
            squares += (day - mean) * (day - mean);
        }
        double stddev = baselineDays.length == 0 ? 0 : Math.sqrt(squares / baselineDays.length);
        boolean judged = active >= minActiveDays;
        boolean anomalous = judged && lastDay >= minCredits && lastDay > mean + sigmas * stddev
                && lastDay >= ratio * mean;
        Double z = stddev > 0 ? (lastDay - mean) / stddev : null;
        return new Verdict(anomalous, judged, round(mean), round(stddev), z == null ? null : round(z),
                mean > 0 ? round(lastDay / mean) : null);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /**
     * @param judged false when the member has too little history to have a pattern
     * @param ratio  last day over the baseline mean; null with a zero mean
     */
    public record Verdict(boolean anomalous, boolean judged, double baselineMean, double baselineStddev, Double zScore,
            Double ratio) {
    }
}

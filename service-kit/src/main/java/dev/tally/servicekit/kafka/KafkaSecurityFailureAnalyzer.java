package dev.tally.servicekit.kafka;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A wrong Kafka security setting ends the start with its sentence, not with a stack trace. */
public class KafkaSecurityFailureAnalyzer extends AbstractFailureAnalyzer<KafkaSecurityException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, KafkaSecurityException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct that setting; docs/security.md, \"Kafka authentication\", lists them all.", null);
    }
}

package dev.tally.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * @param reservationTimeout how long a request waits for the ledger before failing closed with 503
 * @param reservationTtl     how long the ledger holds an unsettled reservation before releasing it itself
 * @param defaultMaxTokens   the output cap reserved for (and sent to the provider) when neither the request nor a
 *                           policy sets one
 * @param maxBodyBytes       larger request bodies are refused with 413
 * @param credentialKey      base64 AES-256 key to decrypt organisations' BYOK credentials
 * @param providers          provider name → how to reach it
 * @param maxRequestDuration a request still running after this long is ended by the gateway (the upstream call
 *                           closed) and charged what it consumed; leases stay open for running requests at most
 *                           this long (default 10 minutes)
 * @param chargeWriteWait    the longest an answer waits for its charge to reach the charge journal before it goes
 *                           anyway (a failing disk is logged; the charge is still sent to the ledger)
 */
@ConfigurationProperties("tally.gateway")
public record GatewaySettings(Duration reservationTimeout, Duration reservationTtl, int defaultMaxTokens,
        int maxBodyBytes, String credentialKey, String ledgerUrl, Map<String, ProviderSettings> providers,
        Duration maxRequestDuration, Duration chargeWriteWait) {

    public GatewaySettings {
        maxRequestDuration = maxRequestDuration == null ? Duration.ofMinutes(10) : maxRequestDuration;
        chargeWriteWait = chargeWriteWait == null ? Duration.ofSeconds(5) : chargeWriteWait;
    }

    /**
     * @param type        mock, openai (any OpenAI-compatible server: vLLM, Ollama, TGI…), anthropic, azure, gemini or
     *                    bedrock (docs/providers.md)
     * @param baseUrl     e.g. https://api.openai.com/v1 or http://localhost:11434/v1; for azure the resource's
     *                    https://{resource}.openai.azure.com; for gemini it defaults to Google's OpenAI-compatible
     *                    endpoint; for bedrock an optional endpoint override (else the region's own endpoint)
     * @param apiKey      the platform key, used when an organisation has no BYOK credential for this provider
     * @param fallbacks   providers to try, in order, when this one fails or its circuit is open
     * @param apiVersion  azure: the {@code api-version} query parameter (default {@value #AZURE_API_VERSION})
     * @param deployments azure: model name → deployment name; a model not listed is its own deployment
     * @param region      bedrock: the AWS region (default us-east-1)
     * @param accessKeyId bedrock: the platform's AWS access key id; without it the SDK's default credentials chain
     * @param secretAccessKey bedrock: the secret of {@code accessKeyId}
     */
    public record ProviderSettings(String type, String baseUrl, String apiKey, Duration timeout, int maxRetries,
            int maxConcurrent, java.util.List<String> fallbacks, String apiVersion,
            Map<String, String> deployments, String region, String accessKeyId, String secretAccessKey) {

        public static final String AZURE_API_VERSION = "2024-10-21";
    }
}

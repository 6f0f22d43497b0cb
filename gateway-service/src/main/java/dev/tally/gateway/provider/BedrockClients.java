package dev.tally.gateway.provider;

import dev.tally.gateway.GatewaySettings.ProviderSettings;
import dev.tally.gateway.pricing.Tokenizer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Bedrock providers' SDK clients, on one Netty HTTP client of their own (the SDK's async client needs its own;
 * it never blocks a caller's thread). The SDK does not retry: {@link ResilientProvider} does, as for every provider,
 * so that retries, the circuit breaker and fallbacks behave alike.
 */
final class BedrockClients implements AutoCloseable {

    static final String DEFAULT_REGION = "us-east-1";

    private SdkAsyncHttpClient http;
    private final List<BedrockRuntimeAsyncClient> clients = new ArrayList<>();

    BedrockProvider provider(String name, ProviderSettings settings, JsonMapper json, Duration timeout,
            Tokenizer tokenizer) {
        if (http == null) {
            http = NettyNioAsyncHttpClient.builder().maxConcurrency(500)
                    .connectionTimeout(Duration.ofSeconds(5)).build();
        }
        var builder = BedrockRuntimeAsyncClient.builder()
                .httpClient(http)
                .region(Region.of(settings.region() == null || settings.region().isBlank() ? DEFAULT_REGION
                        : settings.region()))
                .credentialsProvider(platformCredentials(settings))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry()).build());
        if (settings.baseUrl() != null && !settings.baseUrl().isBlank()) {
            builder.endpointOverride(URI.create(settings.baseUrl()));
        }
        BedrockRuntimeAsyncClient client = builder.build();
        clients.add(client);
        return new BedrockProvider(name, client, json, timeout, tokenizer,
                key -> key == null || key.isBlank() ? null : AwsKeyPair.parse(json, key).provider());
    }

    /** The settings' key pair, else the SDK's default chain (environment, profile, container or instance role). */
    private static AwsCredentialsProvider platformCredentials(ProviderSettings settings) {
        if (settings.accessKeyId() != null && !settings.accessKeyId().isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(),
                    settings.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public void close() {
        clients.forEach(BedrockRuntimeAsyncClient::close);
        if (http != null) {
            http.close();
        }
    }
}

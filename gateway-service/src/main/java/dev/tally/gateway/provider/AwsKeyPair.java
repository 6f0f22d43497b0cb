package dev.tally.gateway.provider;

import dev.tally.gateway.error.GatewayException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An organisation's AWS credentials for Bedrock as governance seals them: the JSON
 * {@code {"access_key_id": …, "secret_access_key": …, "session_token": …}} (the token optional), one sealed
 * secret so that the pair is stored, rotated and revoked as one credential.
 */
public record AwsKeyPair(String accessKeyId, String secretAccessKey, String sessionToken) {

    public static AwsKeyPair parse(JsonMapper json, String sealed) {
        JsonNode pair;
        try {
            pair = json.readTree(sealed);
        } catch (RuntimeException e) {
            pair = null;
        }
        if (pair == null || !pair.path("access_key_id").isString() || !pair.path("secret_access_key").isString()) {
            throw GatewayException.badRequest("invalid_credential", "The organisation's credential for this Bedrock "
                    + "provider is not an AWS key pair: store it with access_key_id and secret_access_key.", "model");
        }
        String token = pair.path("session_token").isString() ? pair.path("session_token").asString() : null;
        return new AwsKeyPair(pair.path("access_key_id").asString(), pair.path("secret_access_key").asString(),
                token);
    }

    public AwsCredentialsProvider provider() {
        return StaticCredentialsProvider.create(sessionToken == null || sessionToken.isBlank()
                ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
    }
}

package dev.tally.governance.credential;

import dev.tally.governance.web.ApiException;
import dev.tally.governance.web.Check;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.regex.Pattern;

/**
 * What a BYOK credential seals, checked field by field: a provider's API key (OpenAI, Anthropic, Azure, Gemini…), or
 * an AWS key pair for Bedrock, sealed as one JSON secret ({@code access_key_id}, {@code secret_access_key}, optional
 * {@code session_token}) so that the pair is stored, rotated and revoked as one credential.
 *
 * @param lastFour what a listing shows: the key's last four characters, or the access key id's
 */
record CredentialSecret(String secret, String lastFour) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");

    static CredentialSecret of(String apiKey, String accessKeyId, String secretAccessKey, String sessionToken) {
        if (accessKeyId == null && secretAccessKey == null && sessionToken == null) {
            String key = Check.text(apiKey, "api_key", 4096);
            if (key.length() < 8) {
                throw ApiException.invalid("api_key", "is too short to be a provider key");
            }
            return new CredentialSecret(key, key.substring(key.length() - 4));
        }
        if (apiKey != null) {
            throw ApiException.invalid("api_key", "give either api_key or an AWS key pair (access_key_id and "
                    + "secret_access_key), not both");
        }
        String id = Check.text(accessKeyId, "access_key_id", 128);
        if (!ACCESS_KEY_ID.matcher(id).matches()) {
            throw ApiException.invalid("access_key_id", "must be an AWS access key id: 16 to 128 upper-case letters "
                    + "and digits, such as AKIA…");
        }
        String secret = Check.text(secretAccessKey, "secret_access_key", 256);
        if (secret.length() < 16) {
            throw ApiException.invalid("secret_access_key", "is too short to be an AWS secret access key");
        }
        ObjectNode pair = JSON.createObjectNode().put("access_key_id", id).put("secret_access_key", secret);
        String token = Check.optionalText(sessionToken, "session_token", 4096);
        if (token != null && !token.isBlank()) {
            pair.put("session_token", token);
        }
        return new CredentialSecret(JSON.writeValueAsString(pair), id.substring(id.length() - 4));
    }
}

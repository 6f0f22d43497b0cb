package dev.tally.governance.credential;

import dev.tally.governance.web.ApiException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BYOK secrets: an API key as it is, an AWS key pair as one JSON secret; each wrong field named. */
class CredentialSecretTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void an_api_key_is_sealed_as_it_is_and_listed_by_its_last_four() {
        CredentialSecret secret = CredentialSecret.of("  azure-0123456789abcdef  ", null, null, null);

        assertThat(secret.secret()).isEqualTo("azure-0123456789abcdef");
        assertThat(secret.lastFour()).isEqualTo("cdef");
    }

    @Test
    void an_aws_key_pair_is_one_json_secret_listed_by_the_access_key_ids_last_four() {
        CredentialSecret secret = CredentialSecret.of(null, "AKIAIOSFODNN7EXAMPLE", SECRET, "session-token-1");

        JsonNode pair = JSON.readTree(secret.secret());
        assertThat(pair.path("access_key_id").asString()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(pair.path("secret_access_key").asString()).isEqualTo(SECRET);
        assertThat(pair.path("session_token").asString()).isEqualTo("session-token-1");
        assertThat(secret.lastFour()).isEqualTo("MPLE");
    }

    @Test
    void a_key_pair_without_a_session_token_has_none() {
        assertThat(JSON.readTree(CredentialSecret.of(null, "AKIAIOSFODNN7EXAMPLE", SECRET, null).secret())
                .has("session_token")).isFalse();
    }

    @Test
    void each_missing_or_malformed_field_is_named() {
        assertField(() -> CredentialSecret.of(null, null, null, null), "api_key", "missing_field");
        assertField(() -> CredentialSecret.of("short", null, null, null), "api_key", "invalid_field");
        assertField(() -> CredentialSecret.of(null, null, SECRET, null), "access_key_id", "missing_field");
        assertField(() -> CredentialSecret.of(null, "akia-lower-case", SECRET, null), "access_key_id",
                "invalid_field");
        assertField(() -> CredentialSecret.of(null, "AKIAIOSFODNN7EXAMPLE", null, null), "secret_access_key",
                "missing_field");
        assertField(() -> CredentialSecret.of(null, "AKIAIOSFODNN7EXAMPLE", "too-short", null),
                "secret_access_key", "invalid_field");
        assertField(() -> CredentialSecret.of("sk-0123456789", "AKIAIOSFODNN7EXAMPLE", SECRET, null), "api_key",
                "invalid_field");
    }

    private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field,
            String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.status().value()).isEqualTo(400);
        });
    }
}

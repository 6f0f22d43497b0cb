package dev.tally.gateway.provider;

import dev.tally.events.governance.CredentialState;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Opens BYOK credentials sealed by governance (AES-256-GCM, base64 of nonce(12) || ciphertext || tag, credential id
 * as associated data; see CredentialState). Without {@code TALLY_CREDENTIAL_KEY} the gateway uses platform keys only.
 */
public final class CredentialDecryptor {

    private final SecretKeySpec key;

    public CredentialDecryptor(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            this.key = null;
            return;
        }
        byte[] bytes = Base64.getDecoder().decode(base64Key.strip());
        if (bytes.length != 32) {
            throw new IllegalStateException("TALLY_CREDENTIAL_KEY must be base64 of 32 bytes");
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public boolean configured() {
        return key != null;
    }

    public String open(CredentialState credential) {
        byte[] all = Base64.getDecoder().decode(credential.ciphertext());
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            cipher.updateAAD(credential.id().getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("credential " + credential.id() + " cannot be opened with this key", e);
        }
    }
}

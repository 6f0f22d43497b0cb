package dev.tally.gateway.lease;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Where this replica's charge journal lives ({@link ChargeJournal}). Each gateway process needs its own directory, on
 * a disk that survives the process (a restarted gateway reads it back): in Kubernetes a volume of the pod.
 *
 * @param directory    the journal's directory; locked by the process that uses it
 * @param maxSizeBytes past this size the journal continues in a new file holding only what is not settled yet
 */
@ConfigurationProperties("tally.gateway.journal")
public record JournalSettings(Path directory, long maxSizeBytes) {

    public JournalSettings {
        directory = directory == null ? Path.of(System.getProperty("java.io.tmpdir"), "tally-gateway-journal")
                : directory;
        maxSizeBytes = maxSizeBytes <= 0 ? 16L * 1024 * 1024 : maxSizeBytes;
    }
}

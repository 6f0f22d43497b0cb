package dev.tally.testsupport;

import org.testcontainers.DockerClientFactory;

/** Kept apart so the Testcontainers classes are only loaded when someone asked for them. */
final class DockerSupport {

    private DockerSupport() {
    }

    static boolean isDockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}

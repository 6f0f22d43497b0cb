package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data folder holds keys (the platform admin key, the sealing keys, the demo agent's key) and everything else a
 * stack keeps: it is the user's alone, a directory 0700 and key files 0600, whatever the umask says.
 */
final class OwnerOnly {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates the directory 0700, or narrows an existing one (a data folder from before this rule) to 0700. */
    static void directory(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, attributes(DIRECTORY));
            }
            if (POSIX) {
                Files.setPosixFilePermissions(directory, DIRECTORY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + directory, e);
        }
    }

    /**
     * Writes the file as 0600 from its first byte: written to a new 0600 file beside it, then moved over it, so the
     * content is never readable by others, not even for a moment, and a crash leaves the old file or the new one.
     */
    static void write(Path file, String content) {
        directory(file.getParent());
        try {
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                    attributes(FILE));
            try {
                Files.writeString(temporary, content, StandardCharsets.UTF_8);
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /** Narrows a file another program wrote (keytool's stores) to 0600; its directory is 0700 from the start. */
    static void restrict(Path file) {
        if (!POSIX) {
            return;
        }
        try {
            Files.setPosixFilePermissions(file, FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not make " + file + " the user's alone", e);
        }
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }
}

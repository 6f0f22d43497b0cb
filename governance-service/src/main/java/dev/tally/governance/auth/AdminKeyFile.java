package dev.tally.governance.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a generated bootstrap key goes: a file only its owner can read (0600, in a directory created 0700), rather than
 * standard output, which log collectors copy to places with far wider access than the key deserves.
 */
final class AdminKeyFile {

    private AdminKeyFile() {
    }

    /**
     * Writes the key to a new file; an existing one is never overwritten, as it may hold a key an operator has not
     * collected yet.
     */
    static void write(Path file, String key) {
        Path absolute = file.toAbsolutePath();
        try {
            Path directory = absolute.getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, ownerOnly("rwx------"));
            }
            Files.write(Files.createFile(absolute, ownerOnly("rw-------")),
                    (key + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(absolute + " already exists and may hold a bootstrap key nobody has "
                    + "collected; store that key and delete the file, or set TALLY_BOOTSTRAP_ADMIN_KEY_FILE elsewhere");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap admin key to " + absolute
                    + "; set TALLY_BOOTSTRAP_ADMIN_KEY_FILE to a writable path", e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file.toAbsolutePath(), e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}

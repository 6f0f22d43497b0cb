package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The stack's data folder ({@code .tally}): one launcher at a time holds its lock, so two {@code ./tally up} on the
 * same folder cannot share a PostgreSQL data directory or take each other's processes for leftovers. It is the user's
 * alone (0700): it holds keys, databases and logs.
 */
final class DataFolder implements AutoCloseable {

    /** The launcher's pid, while it holds the lock. */
    static final String PID_FILE = "launcher.pid";
    /** Where everything is, written once the stack is ready (the ready banner), removed when it stops. */
    static final String READY_FILE = "ready.txt";

    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;

    private DataFolder(Path root, FileChannel channel, FileLock lock) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    static DataFolder lock(Path root) {
        try {
            OwnerOnly.directory(root);
            FileChannel channel = FileChannel.open(root.resolve("launcher.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new StackException("another local stack is running with the data folder " + root
                        + " (stop it with Ctrl-C in its terminal, or use another folder with --data-dir)");
            }
            // For ./tally down and ./tally status: which process holds the folder (removed again by close()).
            OwnerOnly.write(root.resolve(PID_FILE), ProcessHandle.current().pid() + "\n");
            return new DataFolder(root, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock " + root, e);
        }
    }

    /** Deletes the whole folder; refuses while a launcher holds it. */
    static void wipe(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (DataFolder folder = lock(root)) {
            folder.wipeContents();
        }
        try {
            Files.deleteIfExists(root.resolve("launcher.lock"));
            Files.deleteIfExists(root);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    Path root() {
        return root;
    }

    /** Deletes everything in the folder but the lock this launcher holds and its pid. */
    void wipeContents() {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    String name = file.getFileName().toString();
                    if (!(name.equals("launcher.lock") || name.equals(PID_FILE)) || !file.getParent().equals(root)) {
                        Files.delete(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    if (!directory.equals(root)) {
                        Files.delete(directory);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(root.resolve(READY_FILE));
            Files.deleteIfExists(root.resolve(PID_FILE));
        } catch (IOException e) {
            // ./tally status and down check that the pid is a live launcher, so a stale file misleads nobody.
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock in any case, and so does the end of the process.
        }
    }
}

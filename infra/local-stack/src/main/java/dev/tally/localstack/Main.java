package dev.tally.localstack;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.LoggerFactory;

/** {@code ./tally up | wipe}: see {@link CommandLine#USAGE}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Logging initialised once, here, before threads race to do it (SLF4J then prints "replay" warnings).
        LoggerFactory.getILoggerFactory();
        Path root = Path.of(System.getProperty("tally.project.root", "")).toAbsolutePath().normalize();
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(List.of(args), System.getenv(), root);
        } catch (IllegalArgumentException e) {
            System.err.println("tally: " + e.getMessage() + "\n\n" + CommandLine.USAGE);
            System.exit(2);
            return;
        }
        switch (parsed.command()) {
            case HELP -> System.out.print(CommandLine.USAGE);
            case WIPE -> wipe(parsed.options());
            case UP -> up(parsed.options());
        }
    }

    private static void wipe(StackOptions options) {
        try {
            DataFolder.wipe(options.dataDirectory());
            System.out.println("tally: deleted " + options.dataDirectory());
        } catch (StackException e) {
            fail(e);
        }
    }

    private static void up(StackOptions options) {
        System.out.println("tally: starting the local stack (data in " + options.dataDirectory() + ")");
        LocalStack stack;
        try {
            stack = LocalStack.start(options);
        } catch (StackException e) {
            fail(e);
            return;
        }
        // Ctrl-C: the stack's own shutdown hook stops everything, in order, and says so.
        String banner = ReadyBanner.text(stack);
        System.out.print(banner);
        System.out.flush();
        // ./tally status shows it; 0600, as it holds the demo agent's key.
        OwnerOnly.write(stack.dataDirectory().resolve(DataFolder.READY_FILE), banner);
        watch(stack);
    }

    /** Until Ctrl-C: says when a service stops on its own, so nobody wonders why the gateway answers nothing. */
    private static void watch(LocalStack stack) {
        Set<String> reported = new HashSet<>();
        while (!stack.isStopping()) {
            for (String service : stack.serviceNames()) {
                if (!stack.isRunning(service) && !stack.isStopping() && reported.add(service)) {
                    System.out.println("tally: " + service + " stopped (exit code " + stack.exitCode(service)
                            + "); its log: " + stack.logFile(service));
                } else if (stack.isRunning(service)) {
                    reported.remove(service);
                }
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void fail(RuntimeException e) {
        System.err.println("\ntally: " + e.getMessage());
        System.exit(1);
    }
}

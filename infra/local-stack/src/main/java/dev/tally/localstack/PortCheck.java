package dev.tally.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/** Every port the stack will listen on is checked before anything starts, so a clash fails fast and says where. */
final class PortCheck {

    /** A port the stack wants, who wants it, and the setting that changes it. */
    record Claim(int port, String owner, String setting) {
    }

    private PortCheck() {
    }

    static void requireFree(List<Claim> claims) {
        List<String> problems = problems(claims, PortCheck::isFree);
        if (!problems.isEmpty()) {
            throw new StackException(String.join("\n", problems));
        }
    }

    static List<String> problems(List<Claim> claims, IntPredicate isFree) {
        List<String> problems = new ArrayList<>();
        Map<Integer, Claim> byPort = new HashMap<>();
        for (Claim claim : claims) {
            Claim earlier = byPort.putIfAbsent(claim.port(), claim);
            if (earlier != null) {
                problems.add(duplicateMessage(earlier, claim));
            } else if (!isFree.test(claim.port())) {
                problems.add(takenMessage(claim));
            }
        }
        return problems;
    }

    static String takenMessage(Claim claim) {
        return ("port %d, wanted by %s, is already in use. Stop what listens there (see: ss -ltnp 'sport = :%d') "
                + "or choose another port with %s.").formatted(claim.port(), claim.owner(), claim.port(), claim.setting());
    }

    static String duplicateMessage(Claim first, Claim second) {
        return "port %d is wanted by both %s and %s: change %s or %s."
                .formatted(first.port(), first.owner(), second.owner(), first.setting(), second.setting());
    }

    /** Binds the wildcard address as the services do; a listener on any interface makes that fail. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

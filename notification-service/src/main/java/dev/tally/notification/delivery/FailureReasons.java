package dev.tally.notification.delivery;

import dev.tally.servicekit.outbound.RefusedAddressException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.TimeoutException;
import reactor.netty.http.client.PrematureCloseException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a call failed, in Tally's words. Never the receiver's: its answer is the tenant's reading channel into whatever
 * the address reached, so a failure names the status or the network error and nothing the receiver wrote.
 */
final class FailureReasons {

    private FailureReasons() {
    }

    static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RefusedAddressException refused) {
                return refused.getMessage();
            }
            if (t instanceof UnknownHostException) {
                return "the host name does not resolve";
            }
            // Before ConnectException: Netty's connect timeout is one.
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof ConnectTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
                return "timed out";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                String text = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                return text.contains("refused") ? "connection refused"
                        : text.contains("unreachable") || text.contains("no route") ? "network unreachable"
                        : "could not connect";
            }
            if (t instanceof SSLException) {
                return "TLS failed";
            }
            if (t instanceof PrematureCloseException) {
                return "the connection closed before the answer";
            }
        }
        return (failure instanceof IOException ? "connection failed (" : "failed (")
                + failure.getClass().getSimpleName() + ")";
    }

    /** The refusal of the outbound address policy behind a failure, if that is what it was. */
    static Optional<RefusedAddressException> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RefusedAddressException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }
}

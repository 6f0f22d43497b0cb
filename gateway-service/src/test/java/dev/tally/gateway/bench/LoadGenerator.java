package dev.tally.gateway.bench;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Closed-loop load: {@code connections} callers, each starting its next call as soon as the previous one ended, for
 * a fixed time. Records every successful call's latency. Over HTTP, each caller has its own keep-alive HTTP/1.1
 * connection (Reactor Netty), and a call lasts from the first byte sent to the last byte of the answer read.
 */
final class LoadGenerator {

    record Result(long requests, long errors, double seconds, long[] sortedNanos, String firstError) {

        double perSecond() {
            return requests / seconds;
        }

        /** Milliseconds at the given percentile of successful calls. */
        double percentileMillis(double percentile) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1;
            return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
        }
    }

    private LoadGenerator() {
    }

    /** POSTs {@code body} to {@code url} over {@code connections} connections; any status but 200 is an error. */
    static Result http(String url, Map<String, String> headers, byte[] body, int connections, Duration duration) {
        ConnectionProvider pool = ConnectionProvider.builder("bench").maxConnections(connections)
                .pendingAcquireMaxCount(-1).build();
        HttpClient client = HttpClient.create(pool).keepAlive(true).headers(h -> {
            headers.forEach(h::set);
            h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        });
        Mono<Integer> call = client.post().uri(url).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(new byte[0])
                        .flatMap(bytes -> response.status().code() == 200 ? Mono.just(200)
                                : Mono.error(new IllegalStateException(response.status().code() + " "
                                        + new String(bytes, StandardCharsets.UTF_8)))));
        try {
            return run(connections, duration, () -> call);
        } finally {
            pool.disposeLater().block();
        }
    }

    /** Runs {@code connections} loops of {@code call} for {@code duration}; a call that fails counts as an error. */
    static Result run(int connections, Duration duration, Supplier<Mono<?>> call) {
        Latencies latencies = new Latencies();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        Flux.range(0, connections)
                .flatMap(i -> Mono.defer(() -> {
                            long sent = System.nanoTime();
                            return call.get().doOnSuccess(ignored -> latencies.add(System.nanoTime() - sent))
                                    .then()
                                    .onErrorResume(e -> {
                                        errors.incrementAndGet();
                                        firstError.compareAndSet(null, e.toString());
                                        return Mono.delay(Duration.ofMillis(10)).then();
                                    });
                        })
                        .repeat(() -> System.nanoTime() < end), connections)
                .blockLast();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.sorted();
        return new Result(sorted.length, errors.get(), seconds, sorted, firstError.get());
    }

    /** A growing array of latencies; appends are rare enough (≤ tens of thousands a second) to lock. */
    private static final class Latencies {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }
}

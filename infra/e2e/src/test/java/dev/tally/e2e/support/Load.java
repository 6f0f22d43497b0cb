package dev.tally.e2e.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A few threads sending one-credit completions back to back, alternating between the gateway replicas, until
 * {@link #stop}; every answer is kept with when it was sent and when it came back.
 */
public final class Load implements AutoCloseable {

    private final Gateway gateway;
    /** The keys requests are spread over, one after another. */
    private final List<String> keys;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Each thread's pause after every answer; zero: back to back. */
    private volatile Duration pace = Duration.ZERO;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());

    private Load(Gateway gateway, List<String> keys) {
        this.gateway = gateway;
        this.keys = List.copyOf(keys);
    }

    public static Load start(Gateway gateway, String key, int threadCount) {
        return start(gateway, List.of(key), threadCount);
    }

    /** Load spread over many keys (members of one organisation, as real traffic is). */
    public static Load start(Gateway gateway, List<String> keys, int threadCount) {
        Load load = new Load(gateway, keys);
        for (int i = 0; i < threadCount; i++) {
            int first = i;
            Thread thread = new Thread(() -> load.run(first), "e2e-load-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void run(int replica) {
        while (running.get()) {
            long begin = System.nanoTime();
            String key = keys.get(Math.floorMod(next.getAndIncrement(), keys.size()));
            Gateway.Answer answer = gateway.post(replica++, key, Gateway.ONE_CREDIT, Duration.ofSeconds(60));
            sent.add(new Sent(begin, System.nanoTime(), answer));
            Duration pause = pace;
            if (answer.status() != 200 && pause.compareTo(Duration.ofMillis(100)) < 0) {
                // Do not spin on a failing stack: a fault makes answers fast (503 from an open breaker).
                pause = Duration.ofMillis(100);
            }
            if (!pause.isZero()) {
                pauseUnlessStopped(pause);
            }
        }
    }

    /**
     * Lets each thread pause {@code pause} after every answer from now on (zero: back to back again): light traffic
     * goes on while a process restarts, instead of full traffic taking the CPU the restart needs on a small machine.
     */
    public void pace(Duration pause) {
        this.pace = pause;
    }

    /** Answers so far. */
    public List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    public long count(int status) {
        return sent().stream().filter(s -> s.answer().status() == status).count();
    }

    /** Stops sending and waits for the requests under way. */
    public List<Sent> stop() {
        running.set(false);
        stopped.countDown();
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(90).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return sent();
    }

    @Override
    public void close() {
        stop();
    }

    /** Waits {@code pause}, or less when {@link #stop()} is called meanwhile. */
    private void pauseUnlessStopped(Duration pause) {
        try {
            stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request: sent at {@code begin}, answered at {@code end} (System.nanoTime). */
    public record Sent(long begin, long end, Gateway.Answer answer) {
    }
}

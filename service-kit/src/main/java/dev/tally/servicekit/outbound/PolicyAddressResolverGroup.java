package dev.tally.servicekit.outbound;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The resolver for a Reactor Netty {@code HttpClient} that calls tenants' URLs:
 * {@code HttpClient.create().resolver(new PolicyAddressResolverGroup(policy))}. Reactor Netty connects to exactly the
 * addresses a resolver returns, so checking them here is checking the address connected to, after DNS, with no
 * second lookup an attacker's DNS could answer differently (rebinding).
 *
 * <p>Reactor Netty skips the resolver for an address it already holds resolved (an IP literal in the URL); this
 * resolver calls none resolved, so literals are checked too.
 */
public final class PolicyAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final OutboundAddressPolicy policy;
    private final Executor lookups;

    public PolicyAddressResolverGroup(OutboundAddressPolicy policy) {
        this.policy = policy;
        // The system resolver blocks; the event loop it would run on may also serve the service's own HTTP API.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "outbound-dns");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.lookups = pool;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new CheckingResolver(executor, policy, lookups);
    }

    private static final class CheckingResolver extends AbstractAddressResolver<InetSocketAddress> {

        private final OutboundAddressPolicy policy;
        private final Executor lookups;

        CheckingResolver(EventExecutor executor, OutboundAddressPolicy policy, Executor lookups) {
            super(executor, InetSocketAddress.class);
            this.policy = policy;
            this.lookups = lookups;
        }

        @Override
        protected boolean doIsResolved(InetSocketAddress address) {
            return false;
        }

        @Override
        protected void doResolve(InetSocketAddress address, Promise<InetSocketAddress> promise) {
            Promise<List<InetSocketAddress>> all = executor().newPromise();
            all.addListener(f -> {
                if (f.isSuccess()) {
                    promise.trySuccess(all.getNow().get(0));
                } else {
                    promise.tryFailure(f.cause());
                }
            });
            doResolveAll(address, all);
        }

        @Override
        protected void doResolveAll(InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
            String host = address.getHostString();
            int port = address.getPort();
            if (!address.isUnresolved()) {
                try {
                    policy.checkConnect(host, address.getAddress());
                    promise.trySuccess(List.of(address));
                } catch (RefusedAddressException e) {
                    promise.tryFailure(e);
                }
                return;
            }
            lookups.execute(() -> {
                try {
                    List<InetAddress> addresses = policy.connectable(host);
                    promise.trySuccess(addresses.stream().map(a -> new InetSocketAddress(a, port)).toList());
                } catch (Exception e) {
                    promise.tryFailure(e);
                }
            });
        }
    }
}

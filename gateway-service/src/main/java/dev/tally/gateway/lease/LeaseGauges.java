package dev.tally.gateway.lease;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.Locale;

/**
 * {@code tally.gateway.leases.open}: the credit leases this replica holds in the ledger; and
 * {@code tally.gateway.leases.retired} by {@code reason}: each lease costs the ledger a reservation and a release, so
 * how long leases last is what spread traffic costs the ledger.
 */
@Component
class LeaseGauges {

    LeaseGauges(CreditLeases leases, MeterRegistry registry) {
        Gauge.builder("tally.gateway.leases.open", leases, CreditLeases::openLeases)
                .description("credit leases this replica holds in the ledger").register(registry);
        for (RetireReason reason : RetireReason.values()) {
            FunctionCounter.builder("tally.gateway.leases.retired", leases, l -> l.retired(reason))
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("credit leases retired, by why").register(registry);
        }
    }
}

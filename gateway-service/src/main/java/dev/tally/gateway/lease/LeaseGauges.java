package dev.tally.gateway.lease;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code tally.gateway.leases.open}: the credit leases this replica holds in the ledger. */
@Component
class LeaseGauges {

    LeaseGauges(CreditLeases leases, MeterRegistry registry) {
        Gauge.builder("tally.gateway.leases.open", leases, CreditLeases::openLeases)
                .description("credit leases this replica holds in the ledger").register(registry);
    }
}

package dev.tally.analytics.bench;

import dev.tally.events.envelope.Envelope;
import dev.tally.events.gateway.GatewayMessageTypes;
import dev.tally.events.gateway.GatewayRequestRecord;
import dev.tally.events.gateway.RequestOutcome;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.BudgetDefinedEvent;
import dev.tally.events.ledger.BudgetHold;
import dev.tally.events.ledger.BudgetPeriod;
import dev.tally.events.ledger.BudgetThresholdCrossedEvent;
import dev.tally.events.ledger.CreditReservedEvent;
import dev.tally.events.ledger.CreditsPurchasedEvent;
import dev.tally.events.ledger.LeaseChargedEvent;
import dev.tally.events.ledger.LedgerEvent;
import dev.tally.events.ledger.LedgerMessageTypes;
import dev.tally.events.ledger.Leg;
import dev.tally.events.ledger.Priority;
import dev.tally.events.ledger.ReservationReleasedEvent;
import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.events.ledger.UsageRecordedEvent;
import dev.tally.events.topic.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Gateway traffic as the ledger and the gateway record it: for every request a gateway record on
 * tally.gateway.requests and its ledger events on tally.ledger.events, in the same JSON and CloudEvents headers.
 * Most requests are carved from a member's credit lease (one LeaseCharged, the lease renewed every 20 charges with a
 * ReservationReleased and a new CreditReserved); the rest reserve and settle on their own (CreditReserved then
 * UsageRecorded). Each organisation has budgets on its org and its teams, whose thresholds are crossed now and then.
 * Seeded, so two runs publish the same traffic shape.
 */
final class BenchTraffic {

    private static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "claude-3-haiku", "claude-3-5-sonnet"};
    private static final int MEMBERS_PER_ORG = 20;
    private static final int TEAMS_PER_ORG = 4;
    private static final int CHARGES_PER_LEASE = 20;

    private final Random random = new Random(42);
    private final List<Org> orgs = new ArrayList<>();
    private final double leaseShare;
    private final Instant start;
    private long clockMillis;

    BenchTraffic(int orgCount, double leaseShare, Instant start) {
        this.leaseShare = leaseShare;
        this.start = start;
        for (int i = 0; i < orgCount; i++) {
            orgs.add(new Org("bench-org-" + i + "-" + UUID.randomUUID().toString().substring(0, 8)));
        }
    }

    /** What each organisation needs before its traffic: credits and budgets. */
    List<ProducerRecord<String, byte[]>> setUp() {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (Org org : orgs) {
            records.add(ledger(new CreditsPurchasedEvent(org.id, id(), now(), org.pool, 1_000_000_000L,
                    "admin-key:bench", "invoice-bench")));
            records.add(ledger(new BudgetDefinedEvent(org.id, id(), now(), org.id + "-monthly",
                    new Scope(ScopeLevel.ORG, org.id), BudgetPeriod.MONTHLY, 50_000_000L, List.of(50, 80, 90),
                    false, "admin-key:bench")));
            for (int t = 0; t < TEAMS_PER_ORG; t++) {
                records.add(ledger(new BudgetDefinedEvent(org.id, id(), now(), org.team(t) + "-daily",
                        new Scope(ScopeLevel.GROUP, org.team(t)), BudgetPeriod.DAILY, 5_000_000L, List.of(50, 80),
                        false, "admin-key:bench")));
            }
        }
        return records;
    }

    /**
     * One gateway request: its ledger events, then (when {@code withRecord}) its gateway record. The ledger events
     * are all that the request made the ledger publish.
     */
    List<ProducerRecord<String, byte[]>> request(boolean withRecord) {
        Org org = orgs.get(random.nextInt(orgs.size()));
        int memberIndex = random.nextInt(MEMBERS_PER_ORG);
        String member = org.member(memberIndex);
        String team = org.team(memberIndex % TEAMS_PER_ORG);
        String project = random.nextInt(3) == 0 ? null : org.id + "-project-" + random.nextInt(3);
        List<Scope> chain = new ArrayList<>(List.of(new Scope(ScopeLevel.ORG, org.id),
                new Scope(ScopeLevel.WORKSPACE, org.id + "-ws"), new Scope(ScopeLevel.GROUP, team),
                new Scope(ScopeLevel.MEMBER, member)));
        if (project != null) {
            chain.add(new Scope(ScopeLevel.PROJECT, project));
        }
        String model = MODELS[random.nextInt(MODELS.length)];
        String provider = model.startsWith("gpt") ? "openai" : "anthropic";
        long prompt = 200 + random.nextInt(2_000);
        long completion = 20 + random.nextInt(600);
        long charged = 1 + (prompt + 4 * completion) / 100;
        String requestId = id();
        Instant at = now();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<Leg> legs = List.of(new Leg(org.pool, charged));
        if (random.nextDouble() < leaseShare) {
            Lease lease = org.leases.get(member);
            if (lease == null || lease.charges == CHARGES_PER_LEASE) {
                if (lease != null) {
                    records.add(ledger(new ReservationReleasedEvent(org.id, id(), at, lease.id, lease.remaining,
                            "lease returned")));
                }
                lease = new Lease("lease-" + id(), 2_000);
                org.leases.put(member, lease);
                records.add(ledger(new CreditReservedEvent(org.id, id(), at, lease.id, lease.remaining,
                        List.of(new Leg(org.pool, lease.remaining)), holds(org, team, at), chain, Priority.NORMAL,
                        at.plusSeconds(600))));
            }
            lease.charges++;
            long take = Math.min(charged, lease.remaining);
            lease.remaining -= take;
            records.add(ledger(new LeaseChargedEvent(org.id, id(), at, lease.id, requestId, charged, take,
                    charged - take, lease.remaining, List.of(new Leg(org.pool, take)), chain, prompt, completion,
                    model, provider)));
        } else {
            long reserved = charged + 50;
            records.add(ledger(new CreditReservedEvent(org.id, id(), at, requestId, reserved,
                    List.of(new Leg(org.pool, reserved)), holds(org, team, at), chain, Priority.NORMAL,
                    at.plusSeconds(300))));
            records.add(ledger(new UsageRecordedEvent(org.id, id(), at.plusMillis(400), requestId, reserved, charged,
                    charged, 0, reserved - charged, legs, chain, prompt, completion, model, provider)));
        }
        org.spent += charged;
        if (org.spent / 500_000 > org.crossings) {
            org.crossings++;
            records.add(ledger(new BudgetThresholdCrossedEvent(org.id, id(), at, org.team(0) + "-daily",
                    new Scope(ScopeLevel.GROUP, org.team(0)), BudgetPeriod.DAILY, day(at), 50, 2_500_000L,
                    5_000_000L)));
        }
        if (withRecord) {
            GatewayRequestRecord record = new GatewayRequestRecord(requestId, org.id, member, MemberKind.AGENT,
                    "key-" + member, project, model, model, provider, random.nextBoolean(), false, "normal",
                    RequestOutcome.SUCCESS, 200, null, null, prompt, completion, charged + 50, charged,
                    300 + random.nextInt(900), 250 + random.nextInt(800), at.plusMillis(400));
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.GATEWAY_REQUESTS.name(), org.id,
                    TallyJson.write(record));
            new Envelope(requestId, GatewayMessageTypes.REQUEST.ceType(), "tally/gateway", record.occurredAt(),
                    org.id).toHeaders().forEach(r.headers()::add);
            records.add(r);
        }
        return records;
    }

    static boolean isLedger(ProducerRecord<String, byte[]> record) {
        return record.topic().equals(Topics.LEDGER_EVENTS.name());
    }

    private static List<BudgetHold> holds(Org org, String team, Instant at) {
        return List.of(new BudgetHold(org.id + "-monthly", day(at).withDayOfMonth(1)),
                new BudgetHold(team + "-daily", day(at)));
    }

    private static LocalDate day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static ProducerRecord<String, byte[]> ledger(LedgerEvent event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.LEDGER_EVENTS.name(), event.ledgerId(),
                TallyJson.write(event));
        new Envelope(id(), LedgerMessageTypes.of(event.getClass()).ceType(), "tally/ledger-service",
                event.occurredAt(), event.ledgerId()).toHeaders().forEach(record.headers()::add);
        return record;
    }

    /** Event time moves a few milliseconds per request, starting a day ago: all of it inside the stats windows. */
    private Instant now() {
        clockMillis += 1 + random.nextInt(5);
        return start.plusMillis(clockMillis);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static final class Org {
        final String id;
        final String pool;
        final Map<String, Lease> leases = new HashMap<>();
        long spent;
        long crossings;

        Org(String id) {
            this.id = id;
            this.pool = id + "-pool";
        }

        String member(int i) {
            return id + "-agent-" + i;
        }

        String team(int i) {
            return id + "-team-" + i;
        }
    }

    private static final class Lease {
        final String id;
        long remaining;
        int charges;

        Lease(String id, long remaining) {
            this.id = id;
            this.remaining = remaining;
        }
    }
}

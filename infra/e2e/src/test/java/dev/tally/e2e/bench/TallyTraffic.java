package dev.tally.e2e.bench;

/**
 * What the clients got from Tally's gateway so far: the 200s delivered, and how many requests they can have abandoned
 * in flight (wrk drops the requests on its connections when a run's time is up).
 */
final class TallyTraffic {

    private final int connections;
    private long delivered;
    private long abandonedAtMost;

    TallyTraffic(int connections) {
        this.connections = connections;
    }

    Wrk.WrkResult add(Wrk.WrkResult run) {
        delivered += run.requests() - run.non2xx();
        abandonedAtMost += connections;
        return run;
    }

    MeasuredLoad.Result add(MeasuredLoad.Result run) {
        add(run.wrk());
        return run;
    }

    /** One request sent on its own and answered 200. */
    void addSingleAnswer() {
        delivered++;
    }

    long delivered() {
        return delivered;
    }

    long abandonedAtMost() {
        return abandonedAtMost;
    }
}

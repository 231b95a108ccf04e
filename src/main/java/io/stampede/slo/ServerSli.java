package io.stampede.slo;

import io.stampede.StampedeException;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.input.Durations;
import io.stampede.prometheus.PrometheusClient;
import io.stampede.prometheus.PrometheusException;
import io.stampede.prometheus.QueryResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls one server-side SLO's two PromQL counters during the run and hands the run one second's
 * increase at a time, on the run's own time axis: {@link #take()} at each interval's end.
 *
 * <ul>
 *   <li>The run counts from a baseline read before its users start ({@link #baseline()}) and up to a
 *       last reading once Prometheus has scraped after they stopped ({@link #settle()}): the run's
 *       total is what the service counted between the two, not a part of it.</li>
 *   <li>Both queries are evaluated in one query, on one snapshot of Prometheus's storage, so good
 *       never runs ahead of total nor lags it.</li>
 *   <li>A counter that drops (the service restarted) counts from zero again, as PromQL's
 *       {@code increase} does.</li>
 *   <li>An empty result (the series went stale while the service was down) is a second without
 *       data; the last reading stays the baseline, so no event is lost when the series returns.</li>
 *   <li>A failed query (Prometheus unreachable, refused) is an event and seconds without data; the
 *       events between the last reading and the next are not placed in any second, so the baseline
 *       is dropped and the next reading starts a new one.</li>
 * </ul>
 */
public final class ServerSli implements AutoCloseable {

    /** Each query's connect and answer bound: a second's poll must not pile up behind a slow one. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
    /**
     * When every target Prometheus scrapes was last scraped (a scrape's samples and its {@code up} are
     * committed together, so a sample of {@code up} at or after a moment means the counters are read
     * from then on too).
     */
    static final String LAST_SCRAPE = "min(timestamp(up))";
    /** How often the wait for a scrape asks. */
    static final Duration SCRAPE_WAIT_POLL = Duration.ofMillis(100);
    /** Beyond two steps (a step is the scrape interval), what a loaded machine may add to a scrape. */
    static final Duration SCRAPE_WAIT_SLACK = Duration.ofSeconds(2);
    /** The label that tells the two sides apart in the one query that reads both. */
    static final String SIDE_LABEL = "stampede_sli_side";
    private static final String GOOD = "good";
    private static final String TOTAL = "total";

    /** Both counters at one instant. */
    record Reading(double good, double total) {
    }

    /** One second's increase; zero total is a second without data. */
    record Increase(long good, long total) {
    }

    private final SloSpec slo;
    private final PrometheusSli source;
    private final PrometheusClient client;
    private final EventLog events;
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong queryNanos = new AtomicLong();
    private ScheduledExecutorService poller;
    /** The latest reading, or null while the last poll found nothing. */
    private volatile Reading latest;
    /** What the last {@link #take()} counted up to; null when there is no baseline. */
    private Reading taken;
    private volatile boolean failing;
    /** Good and total read in one query; false once Prometheus refused that (the queries are scalars). */
    private volatile boolean oneQuery = true;
    /** The second {@link #second(long)} last took, and what it took. */
    private long secondEnd = Long.MIN_VALUE;
    private Increase secondTaken;
    private final List<String> notes = new CopyOnWriteArrayList<>();

    public ServerSli(SloSpec slo, EventLog events) {
        this.slo = slo;
        this.source = slo.prometheus().orElseThrow();
        this.client = new PrometheusClient(source.url(), QUERY_TIMEOUT);
        this.events = events;
    }

    /**
     * Runs both queries once before the run: a query Prometheus refuses is bad input (exit 2, with
     * Prometheus's own words); a server that cannot be used means the run cannot be carried out (exit 3).
     */
    public static void check(List<SloSpec> slos) {
        for (SloSpec slo : slos) {
            Optional<PrometheusSli> source = slo.prometheus();
            if (source.isEmpty()) {
                continue;
            }
            PrometheusClient client = new PrometheusClient(source.get().url(), QUERY_TIMEOUT);
            for (String promql : List.of(source.get().good(), source.get().total())) {
                try {
                    if (number(client.query(promql)).isEmpty()) {
                        throw new StampedeException.BadInput(slo.where() + ": SLO " + slo.name() + ": '" + promql
                                + "' gives more than one number; aggregate it, e.g. sum(...)");
                    }
                } catch (PrometheusException e) {
                    String message = slo.where() + ": SLO " + slo.name() + ": " + e.getMessage();
                    throw e.reason() == PrometheusException.Reason.REFUSED
                            ? new StampedeException.BadInput(message, e) : new StampedeException.CannotRun(message, e);
                }
            }
        }
    }

    /**
     * Before the users start: waits until Prometheus has scraped every target since now, then reads the
     * baseline the run counts from. A series still absent after that scrape has counted nothing yet:
     * its baseline is zero, so a service started with the run loses none of its first requests. When
     * Prometheus does not scrape in time, counting starts at the first reading, as a note says.
     */
    public void baseline() {
        Duration waited = scrapeWait();
        boolean scraped = awaitScrapeAfter(Instant.now(), waited);
        try {
            Reading found = both(Instant.now());
            Reading base = found != null ? found : scraped ? new Reading(0, 0) : null;
            synchronized (this) {
                latest = base;
                taken = base;
            }
        } catch (PrometheusException e) {
            lost(e.getMessage());
        }
        if (!scraped) {
            notes.add("counting started at the first reading: Prometheus had not scraped every target within "
                    + Durations.format(waited) + " of the start");
        }
    }

    /**
     * The users have stopped: stops polling, waits until Prometheus has scraped every target since now
     * and reads the counters once more, so the run's last events are counted ({@link #take()} then
     * gives them). Call before the targets stop, or their series are gone.
     */
    public void settle() {
        ScheduledExecutorService p;
        synchronized (this) {
            p = poller;
            poller = null;
        }
        if (p == null) {
            return; // never started
        }
        p.shutdown(); // a poll in flight ends on its own: interrupted, it would read as Prometheus lost
        try {
            p.awaitTermination(QUERY_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Duration waited = scrapeWait();
        if (!awaitScrapeAfter(Instant.now(), waited)) {
            notes.add("the last reading may miss the run's last events: Prometheus had not scraped every target within "
                    + Durations.format(waited) + " of the end");
        }
        poll();
    }

    /** Two steps and a slack: a step is the scrape interval, the wait lands anywhere in one. */
    private Duration scrapeWait() {
        return source.step().multipliedBy(2).plus(SCRAPE_WAIT_SLACK);
    }

    /**
     * Waits until every target has a scrape at or after {@code mark}, at most {@code bound}; false on
     * timeout (also when Prometheus has scraped nothing by then: no {@code up}), or when it cannot be asked.
     */
    private boolean awaitScrapeAfter(Instant mark, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            try {
                // No up yet is a Prometheus started moments ago, before its first scrape (seconds after
                // start): wait for it as for any scrape, up to the bound.
                Optional<Double> last = number(client.query(LAST_SCRAPE)).filter(v -> !Double.isNaN(v));
                if (last.isPresent() && last.get() * 1000 >= mark.toEpochMilli()) {
                    return true;
                }
            } catch (PrometheusException e) {
                return false;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(SCRAPE_WAIT_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Starts polling every step, the first poll now. */
    public synchronized void start() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stampede-sli-" + slo.name());
            t.setDaemon(true);
            return t;
        });
        poller.scheduleAtFixedRate(this::poll, 0, source.step().toMillis(), TimeUnit.MILLISECONDS);
    }

    void poll() {
        Instant at = Instant.now(); // Prometheus's clock is the wall clock, whatever the run's is
        try {
            read(both(at));
        } catch (PrometheusException e) {
            lost(e.getMessage());
        }
    }

    /**
     * Both answers as a reading: null without a total (the series went stale: the service is down); a
     * total without good is zero good events (nothing but 5xx so far makes no good series).
     */
    static Reading reading(Optional<Double> good, Optional<Double> total) {
        return total.map(t -> new Reading(good.orElse(0.0), t)).orElse(null);
    }

    /** A poll's answer: both counters, or null when the queries matched nothing. */
    void read(Reading reading) {
        synchronized (this) {
            latest = reading;
            if (taken == null) {
                taken = reading; // the first reading, or the first after a gap: where counting starts
            }
        }
        if (failing) {
            failing = false;
            events.emit(new Event(events.clock().millis(), Event.Kind.SLI_SOURCE_BACK, "", "", "",
                    "SLO " + slo.name() + ": Prometheus answers again"));
        }
    }

    /** A poll that got no answer: no data, and no baseline, until the next reading. */
    void lost(String why) {
        synchronized (this) {
            latest = null;
            taken = null;
        }
        if (!failing) {
            failing = true;
            events.emit(new Event(events.clock().millis(), Event.Kind.SLI_SOURCE_LOST, "", "", "",
                    "SLO " + slo.name() + ": no data until Prometheus answers: " + why));
        }
    }

    /**
     * Good and total at {@code at}, in one query: Prometheus evaluates a query on one snapshot of its
     * storage, which a scrape joins whole or not at all, whereas two queries at the same instant can
     * straddle a scrape being written (good read before it, total after), and that second's good
     * would then be short. Each side is tagged with a label so that {@code or} keeps both. A query
     * that cannot be tagged (a scalar) falls back to two queries for the rest of the run.
     */
    private Reading both(Instant at) throws PrometheusException {
        if (!oneQuery) {
            return reading(value(source.good(), at), value(source.total(), at));
        }
        QueryResult result;
        try {
            result = timed(tagged(source.good(), GOOD) + " or " + tagged(source.total(), TOTAL), at);
        } catch (PrometheusException e) {
            if (e.reason() != PrometheusException.Reason.REFUSED) {
                throw e;
            }
            oneQuery = false;
            return both(at);
        }
        Optional<Double> good = Optional.empty();
        Optional<Double> total = Optional.empty();
        if (result instanceof QueryResult.Vector v) {
            for (QueryResult.Sample sample : v.samples()) {
                Optional<Double> value = Double.isNaN(sample.value()) ? Optional.empty() : Optional.of(sample.value());
                if (GOOD.equals(sample.metric().get(SIDE_LABEL))) {
                    good = value;
                } else if (TOTAL.equals(sample.metric().get(SIDE_LABEL))) {
                    total = value;
                }
            }
        }
        return reading(good, total);
    }

    /** The query with the side it stands for as a label. */
    private static String tagged(String promql, String side) {
        return "label_replace((" + promql + "), \"" + SIDE_LABEL + "\", \"" + side + "\", \"\", \"\")";
    }

    private QueryResult timed(String promql, Instant at) throws PrometheusException {
        long started = System.nanoTime();
        try {
            return client.query(promql, at);
        } finally {
            queries.incrementAndGet();
            queryNanos.addAndGet(System.nanoTime() - started);
        }
    }

    /** The query's one value; empty when it matched nothing (or gave NaN). */
    private Optional<Double> value(String promql, Instant at) throws PrometheusException {
        double value = number(timed(promql, at)).orElse(Double.NaN);
        return Double.isNaN(value) ? Optional.empty() : Optional.of(value);
    }

    /** A scalar, or a vector of one sample; NaN for an empty vector; empty for anything else. */
    private static Optional<Double> number(QueryResult result) {
        return switch (result) {
            case QueryResult.Scalar s -> Optional.of(s.value());
            case QueryResult.Vector v when v.samples().size() == 1 -> Optional.of(v.samples().get(0).value());
            case QueryResult.Vector v when v.samples().isEmpty() -> Optional.of(Double.NaN);
            default -> Optional.empty();
        };
    }

    /**
     * The increase for the second that ends at {@code endMillis}: taken once, the same to every caller
     * (the verdict's series and the guard's both read each second).
     */
    public synchronized Increase second(long endMillis) {
        if (endMillis != secondEnd) {
            secondEnd = endMillis;
            secondTaken = take();
        }
        return secondTaken;
    }

    /** The increase since the last take, for the second that ends now. */
    public synchronized Increase take() {
        Reading now = latest;
        if (now == null) {
            return new Increase(0, 0);
        }
        Reading before = taken == null ? now : taken;
        taken = now;
        boolean reset = now.total() < before.total() || now.good() < before.good();
        long total = Math.round(reset ? now.total() : now.total() - before.total());
        long good = Math.round(reset ? now.good() : now.good() - before.good());
        return new Increase(Math.max(0, Math.min(good, total)), Math.max(0, total));
    }

    public SloSpec slo() {
        return slo;
    }

    /** What the verdict should know about how this SLO was counted: a baseline or a last reading not exact. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Queries sent so far, and the time they took in all. */
    public long queries() {
        return queries.get();
    }

    public Duration queryTime() {
        return Duration.ofNanos(queryNanos.get());
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }
}

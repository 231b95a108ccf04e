package io.stampede.chaos.proxy;

import io.stampede.chaos.proxy.toxics.Chunk;
import io.stampede.chaos.proxy.toxics.NoopToxic;
import io.stampede.chaos.proxy.toxics.Toxic;
import io.stampede.chaos.proxy.toxics.ToxicStub;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One toxic on one link: its thread, its pipes, and the {@link ToxicStub} it is given. This is
 * where the framework does, once, what Toxiproxy's toxics must not each do: the toxicity draw, and
 * giving back the data a stopped toxic held so that stopping never loses or reorders bytes.
 *
 * <p>A stage is stopped (interrupted and joined) and started again by its {@link Link} whenever the
 * chain around it changes; {@link #output} changes only while it is stopped.
 */
final class Stage implements ToxicStub {

    /** Longest wait for a stopped toxic to return; built-in toxics return at once. */
    static final long STOP_WAIT_MILLIS = 5_000;

    private final Link link;
    private final Pipe input;
    private Pipe output;
    private LiveToxic toxic;
    /** This connection's toxicity draw: does the toxic act here, or a noop in its place. */
    private boolean acting;
    private Object state;
    private Thread thread;

    // One run's view of the stream; touched by the stage's thread, and by the stopper after a join.
    private Chunk held;
    private int heldSent;
    private Signal ending;
    /** An end was passed on or the connection was closed or reset: nothing left to do here. */
    private boolean finished;

    Stage(Link link, LiveToxic toxic, Pipe input, Pipe output) {
        this.link = link;
        this.input = input;
        this.output = output;
        this.toxic = toxic;
        this.acting = draw(toxic);
    }

    /** The stage at the head of every chain: a noop that can be paused while its successor is removed. */
    static Stage head(Link link, Pipe input, Pipe output) {
        return new Stage(link, null, input, output);
    }

    String toxicName() {
        return toxic == null ? null : toxic.spec().name();
    }

    Pipe input() {
        return input;
    }

    Pipe output() {
        return output;
    }

    /** Rewires this stage's output; only while it is stopped. */
    void output(Pipe next) {
        this.output = next;
    }

    /** Runs the toxic on a new thread (unless this stage is finished or the connection closed). */
    void start() {
        if (!finished) {
            thread = link.connection().startThread(link.label() + "-" + (toxic == null ? "head" : toxicName()), this::run);
        }
    }

    /** Interrupts the toxic and waits for it to return what it held; then the stage can be rewired. */
    void stop() {
        Thread running = thread;
        thread = null;
        if (running == null) {
            return;
        }
        running.interrupt();
        try {
            running.join(Duration.ofMillis(STOP_WAIT_MILLIS));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes new settings (and draws toxicity again, as Toxiproxy does on update); only while stopped. */
    void update(LiveToxic updated) {
        this.toxic = updated;
        this.acting = draw(updated);
    }

    private static boolean draw(LiveToxic toxic) {
        return toxic != null && ThreadLocalRandom.current().nextDouble() < toxic.spec().toxicity();
    }

    private void run() {
        held = null;
        heldSent = 0;
        ending = null;
        try {
            Toxic running = acting ? toxic.toxic() : NoopToxic.INSTANCE;
            running.pipe(this);
            if (!finished && ending == null) {
                // The toxic gave up before its input ended: the data still has to flow.
                NoopToxic.INSTANCE.pipe(this);
            }
            if (!finished) {
                finished = true;
                output.append(ending);
            }
        } catch (InterruptedException stopped) {
            giveBack();
        } catch (RuntimeException | Error bug) {
            // A broken toxic must not leave the connection hanging half-alive.
            link.connection().close();
        }
    }

    /** Returns what this run took but did not pass on to the front of the input, in order. */
    private void giveBack() {
        if (finished) {
            return;
        }
        if (ending != null) {
            input.pushFront(ending);
        }
        if (held != null && heldSent < held.length()) {
            input.pushFront(held.slice(heldSent, held.length()));
        }
    }

    @Override
    public Chunk take() throws InterruptedException {
        if (finished || ending != null) {
            return null;
        }
        held = null;
        heldSent = 0;
        Object item = input.take();
        if (item instanceof Chunk chunk) {
            held = chunk;
            return chunk;
        }
        ending = (Signal) item;
        return null;
    }

    @Override
    public void send(Chunk chunk) throws InterruptedException {
        if (finished) {
            return;
        }
        output.put(chunk);
        heldSent += chunk.length();
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
        if (deadlineNanos == Long.MAX_VALUE) {
            awaitStop();
        }
        long waitNanos = deadlineNanos - System.nanoTime();
        if (waitNanos > 0) {
            Thread.sleep(Duration.ofNanos(waitNanos));
        } else if (Thread.interrupted()) {
            // A deadline already past is still a point where the toxic can be stopped.
            throw new InterruptedException();
        }
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (nanos > 0) {
            Thread.sleep(Duration.ofNanos(nanos));
        } else if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public void awaitStop() throws InterruptedException {
        while (true) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Override
    public void close() {
        if (!finished) {
            finished = true;
            output.append(Signal.CLOSE);
        }
    }

    @Override
    public void reset() {
        if (!finished) {
            finished = true;
            link.connection().reset();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> S state(Supplier<S> initial) {
        if (state == null) {
            state = initial.get();
        }
        return (S) state;
    }
}

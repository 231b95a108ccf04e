package io.stampede.http;

import java.io.IOException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;

/**
 * HttpCore's blocking connection, except that a virtual thread steps aside once its request is sent
 * ({@link Thread#yield()}), so the other users run before it reads the response.
 *
 * <p>Why: a read straight after the send nearly always comes before the response, fails with EAGAIN,
 * arms the socket in the JDK's poller and parks the thread; the poller then wakes the idle carrier
 * thread with a futex. Per request that was 2 reads, 1 epoll_ctl, 2.9 futex calls and 2 context
 * switches, 34 µs of CPU. Yielding lets the other users' sends and reads fill that gap, so the read
 * usually finds the response there: 1 read, ~0.01 epoll_ctl, ~0.03 futex, ~0.02 context switches,
 * 11.5 µs (perf stat, 50 users against nginx, one core each), and 34,218 → 66,102 req/s (median of 5,
 * bench/engine/run.sh ab). With nothing else to run, yield returns at once and the read parks as before.
 * HttpCore calls {@link #flush()} once per request, after the head and the body.
 */
final class UserConnection extends DefaultBHttpClientConnection {

    UserConnection(Http1Config config) {
        super(config);
    }

    @Override
    public void flush() throws IOException {
        super.flush();
        if (Thread.currentThread().isVirtual()) {
            Thread.yield(); // on a platform thread this would be a sched_yield system call: not worth it
        }
    }
}

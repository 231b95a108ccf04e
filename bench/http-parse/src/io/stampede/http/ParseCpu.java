package io.stampede.http;

import com.sun.management.ThreadMXBean;
import io.stampede.http.Http1Connection.Http1Response;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;

/**
 * The thread's CPU time (not wall time: the machine is shared) to parse one response as the users'
 * connection gets it from nginx (bench/compare's answer): Jetty's parser with a collector like
 * {@link Http1Connection}'s, against {@link WholeResponse} with and without its fields made.
 * Variants alternate, ROUNDS rounds of N parses each, after a warm-up; also the bytes allocated per
 * response. Prints numbers.
 */
public final class ParseCpu {

    private static final byte[] NGINX = ("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 07 Dec 2026 12:00:00 GMT\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 6\r\nConnection: keep-alive\r\n\r\nhello\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final int N = 2_000_000;
    private static final int ROUNDS = 5;
    static long sink;

    private ParseCpu() {
    }

    public static void main(String[] args) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] buffer = Arrays.copyOf(NGINX, 1024);
        Jetty jetty = new Jetty();
        WholeResponse whole = new WholeResponse();
        for (int warm = 0; warm < 3; warm++) {
            run(jetty, whole, buffer, 0);
            run(jetty, whole, buffer, 1);
            run(jetty, whole, buffer, 2);
        }
        String[] names = {"jetty", "whole", "whole+fields"};
        double[][] ns = new double[3][ROUNDS];
        double[] bytes = new double[3];
        for (int round = 0; round < ROUNDS; round++) {
            for (int v = 0; v < 3; v++) {
                long before = threads.getCurrentThreadCpuTime();
                long allocated = threads.getCurrentThreadAllocatedBytes();
                run(jetty, whole, buffer, v);
                ns[v][round] = (threads.getCurrentThreadCpuTime() - before) / (double) N;
                bytes[v] = (threads.getCurrentThreadAllocatedBytes() - allocated) / (double) N;
            }
        }
        for (int v = 0; v < 3; v++) {
            double[] sorted = ns[v].clone();
            Arrays.sort(sorted);
            System.out.printf("%-13s ns of CPU per response: median %.0f (rounds %s), %.0f bytes allocated%n", names[v],
                    sorted[ROUNDS / 2], Arrays.toString(Arrays.stream(ns[v]).map(Math::round).toArray()), bytes[v]);
        }
    }

    private static void run(Jetty jetty, WholeResponse whole, byte[] buffer, int variant) {
        long total = 0;
        for (int i = 0; i < N; i++) {
            if (variant == 0) {
                total += jetty.parse(buffer, NGINX.length).status();
            } else {
                int end = whole.parse(buffer, 0, NGINX.length, false, Long.MAX_VALUE);
                int from = whole.bodyFrom();
                Http1Response response = whole.response(buffer, Arrays.copyOfRange(buffer, from, from + whole.bodyLength()));
                total += end + response.status() + (variant == 2 ? response.fields().size() : 0);
            }
        }
        sink += total;
    }

    /** Jetty's parser as Http1Connection drives it, with a collector that keeps the same parts. */
    private static final class Jetty implements HttpParser.ResponseHandler {
        private final HttpParser parser = new HttpParser(this, 64 * 1024);
        private final ByteBuffer in = ByteBuffer.allocate(0);
        private HttpVersion version;
        private int status;
        private String reason;
        private List<HttpField> fields;
        private byte[] body;

        Http1Response parse(byte[] bytes, int length) {
            parser.reset();
            fields = new ArrayList<>(8);
            body = null;
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            parser.parseNext(buffer);
            return new Http1Response(version, status, reason, fields, body, false, false, false, false);
        }

        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
            this.version = version;
            this.status = status;
            this.reason = reason;
        }

        @Override
        public void parsedHeader(HttpField field) {
            fields.add(field);
        }

        @Override
        public boolean headerComplete() {
            return false;
        }

        @Override
        public boolean content(ByteBuffer item) {
            body = new byte[item.remaining()];
            item.get(body);
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            return true;
        }

        @Override
        public void earlyEOF() {
        }

        @Override
        public void badMessage(HttpException failure) {
        }
    }
}

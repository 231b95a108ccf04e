package io.stampede.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw TCP server on 127.0.0.1 that answers every connection the same broken way, to check that
 * the client records wire faults as failures. Each connection is served on a virtual thread.
 */
final class MisbehavingServer implements AutoCloseable {

    enum Behaviour { RESET, SILENT, GARBAGE, HUGE_BODY, CLOSE_MID_BODY }

    private final ServerSocket server;

    MisbehavingServer(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> serve(socket, behaviour));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private static void serve(Socket socket, Behaviour behaviour) {
        try (socket) {
            readRequestHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            switch (behaviour) {
                case RESET -> socket.setSoLinger(true, 0); // close() now sends RST
                case SILENT -> Thread.sleep(3_000);
                case GARBAGE -> out.write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                case HUGE_BODY -> {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 20000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < 20_000_000; sent += chunk.length) {
                        out.write(chunk);
                    }
                }
                case CLOSE_MID_BODY -> out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException | InterruptedException ignored) {
            // the client went away: expected for several behaviours
        }
    }

    /** Reads up to the empty line that ends a request head; false if the stream ended first. */
    static boolean readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return matched == 4;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

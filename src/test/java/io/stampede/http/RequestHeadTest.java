package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.stats.StatsRecorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What goes on the wire: the request heads a session writes, as a raw server on 127.0.0.1 reads them. */
class RequestHeadTest {

    /** Records each request head and its body (by Content-Length), answers 200 "ok", keeps the connection. */
    private static final class RecordingServer implements AutoCloseable {
        final ServerSocket server;
        final List<String> requests = new CopyOnWriteArrayList<>();

        RecordingServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread.ofVirtual().start(() -> serve(socket));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                while (true) {
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    int matched = 0;
                    int b;
                    while (matched < 4 && (b = in.read()) >= 0) {
                        head.write(b);
                        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
                    }
                    if (matched < 4) {
                        return;
                    }
                    String text = head.toString(StandardCharsets.ISO_8859_1);
                    int length = 0;
                    for (String line : text.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    String body = new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
                    requests.add(text + body);
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException ignored) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void eachRequestCarriesWhatWasSetWhenItWasSent() throws Exception {
        try (RecordingServer server = new RecordingServer();
             UserHttpSession http = new UserHttpSession(URI.create("http://127.0.0.1:" + server.server.getLocalPort()),
                     HttpOptions.defaults(), new StatsRecorder(System.currentTimeMillis()))) {
            http.get("/a");
            http.get("/a");
            http.defaultHeader("X-One", "1");
            http.get("/a");
            http.request("GET", "/a").header("X-Two", "2").send();
            http.get("/a");
            http.request("POST", "/b").body("hello", "text/plain").send();
            http.request("GET", "/c d#frag").header("X-Evil", "x\r\nInjected: yes").send();
            http.defaultHeader("User-Agent", "custom");
            http.get("/a");

            List<String> sent = server.requests;
            assertThat(sent).hasSize(8);
            String host = "Host: 127.0.0.1:" + server.server.getLocalPort() + "\r\n";
            assertThat(sent.get(0)).isEqualTo("GET /a HTTP/1.1\r\n" + host + "User-Agent: stampede\r\n\r\n");
            assertThat(sent.get(1)).isEqualTo(sent.get(0));
            assertThat(sent.get(2)).isEqualTo("GET /a HTTP/1.1\r\n" + host + "User-Agent: stampede\r\nX-One: 1\r\n\r\n");
            assertThat(sent.get(3)).contains("X-One: 1\r\n").contains("X-Two: 2\r\n");
            assertThat(sent.get(4)).isEqualTo(sent.get(2)); // the request's own header was for that request only
            assertThat(sent.get(5)).startsWith("POST /b HTTP/1.1\r\n").contains("Content-Type: text/plain")
                    .contains("Content-Length: 5\r\n").endsWith("\r\n\r\nhello");
            assertThat(sent.get(6)).startsWith("GET /c%20d HTTP/1.1\r\n").contains("X-Evil: x  Injected: yes\r\n")
                    .doesNotContain("\r\nInjected");
            assertThat(sent.get(7)).contains("User-Agent: custom\r\n").doesNotContain("stampede");
        }
    }
}

package io.stampede.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.impl.HttpProcessors;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http.protocol.HttpProcessor;

/** (d) Apache httpcore5 classic, lowest level: one {@link DefaultBHttpClientConnection} per user on a plain Socket. */
final class HttpCoreCandidate implements Candidate {
    private final HttpHost host;
    private final String path;
    private final HttpRequestExecutor executor = new HttpRequestExecutor(); // stateless, shared
    private final HttpProcessor processor = HttpProcessors.client();       // adds Host, User-Agent, ...

    private final boolean yieldAfterSend;

    HttpCoreCandidate(URI uri, boolean yieldAfterSend) {
        this.yieldAfterSend = yieldAfterSend;
        this.host = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
        this.path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    }

    @Override
    public Session newSession() {
        return new Session() {
            private final HttpCoreContext context = HttpCoreContext.create();
            private DefaultBHttpClientConnection conn;

            @Override
            public int get() throws Exception {
                if (conn == null || !conn.isOpen()) conn = connect();
                var request = new BasicClassicHttpRequest(Method.GET, host, path);
                try {
                    executor.preProcess(request, processor, context);
                    ClassicHttpResponse response = executor.execute(request, conn, context);
                    executor.postProcess(response, processor, context);
                    EntityUtils.toByteArray(response.getEntity());
                    if (!executor.keepAlive(request, response, conn, context)) conn.close();
                    return response.getCode();
                } catch (IOException | RuntimeException e) {
                    conn.close();
                    throw e;
                }
            }

            @Override
            public void close() throws IOException {
                if (conn != null) conn.close();
            }
        };
    }

    private DefaultBHttpClientConnection connect() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host.getHostName(), host.getPort()), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        var conn = yieldAfterSend ? new DefaultBHttpClientConnection(HTTP1_CONFIG) {
            @Override
            public void flush() throws IOException {
                super.flush();
                Thread.yield(); // as Stampede's http/Http1Connection
            }
        } : new DefaultBHttpClientConnection(HTTP1_CONFIG);
        conn.bind(socket);
        return conn;
    }
}

package io.stampede.bench;

import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * (b) Apache httpclient5 classic, one shared client with a pool sized to the user count and a per-user context
 * (own cookie store); (c) one client per user with a pool of at most one connection.
 */
final class ApacheClassicCandidate implements Candidate {
    private final URI uri;
    private final CloseableHttpClient shared;

    ApacheClassicCandidate(URI uri, int users, boolean perUser) {
        this.uri = uri;
        this.shared = perUser ? null : newClient(users);
    }

    private static CloseableHttpClient newClient(int maxConnections) {
        Timeout timeout = Timeout.ofMilliseconds(TIMEOUT_MS);
        var pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder().http1Config(HTTP1_CONFIG).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                .build();
        return HttpClients.custom().setConnectionManager(pool).disableAutomaticRetries().build();
    }

    @Override
    public Session newSession() {
        CloseableHttpClient client = shared != null ? shared : newClient(1);
        HttpClientContext context = HttpClientContext.create();
        context.setCookieStore(new BasicCookieStore());
        return new Session() {
            @Override
            public int get() throws Exception {
                return client.execute(new HttpGet(uri), context, response -> {
                    EntityUtils.toByteArray(response.getEntity());
                    return response.getCode();
                });
            }

            @Override
            public void close() throws Exception {
                if (client != shared) client.close();
            }
        };
    }

    @Override
    public void close() throws Exception {
        if (shared != null) shared.close();
    }
}

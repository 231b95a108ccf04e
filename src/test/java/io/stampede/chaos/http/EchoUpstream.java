package io.stampede.chaos.http;

import io.stampede.input.Authority;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An upstream that answers what it received, one {@code name: value} line each (method, path,
 * query, every header, body length and body), so tests can see what the proxy forwarded.
 * {@code /redirect} answers a 302 to its own absolute URL; {@code /status/N} answers status N.
 */
final class EchoUpstream implements AutoCloseable {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(lenientUris()));
    /** Client ports seen, to tell how many connections the proxy opened. */
    final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    EchoUpstream() throws Exception {
        this("127.0.0.1");
    }

    /** Listening on {@code host} only, e.g. {@code ::1}. */
    EchoUpstream(String host) throws Exception {
        connector.setHost(host);
        connector.setPort(0);
        server.addConnector(connector);
        server.setStopTimeout(0);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                clientPorts.add(((InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress()).getPort());
                String path = request.getHttpURI().getPath();
                if (path.equals("/redirect")) {
                    Response.sendRedirect(request, response, callback, 302, baseUrl() + "/landed?x=1", false);
                    return true;
                }
                if (path.startsWith("/status/")) {
                    response.setStatus(Integer.parseInt(path.substring("/status/".length())));
                }
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                StringBuilder echo = new StringBuilder()
                        .append("method: ").append(request.getMethod()).append('\n')
                        .append("path: ").append(path).append('\n')
                        .append("query: ").append(request.getHttpURI().getQuery()).append('\n');
                for (HttpField field : request.getHeaders()) {
                    echo.append(field.getLowerCaseName()).append(": ").append(field.getValue()).append('\n');
                }
                echo.append("body-length: ").append(body.length()).append('\n');
                echo.append("body: ").append(body);
                response.getHeaders().put("X-Upstream", "echo");
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
                Content.Sink.write(response, true, echo.toString(), callback);
                return true;
            }
        });
        server.start();
    }

    /** Like the proxy, so that odd paths reach the echo instead of a 400. */
    private static HttpConfiguration lenientUris() {
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.LEGACY);
        return http;
    }

    String baseUrl() {
        return new Authority(connector.getHost(), connector.getLocalPort()).url("http").toString();
    }

    int port() {
        return connector.getLocalPort();
    }

    /** The value of the first {@code name: value} line of an echo, or null. */
    static String line(String echo, String name) {
        for (String line : echo.split("\n")) {
            if (line.startsWith(name + ": ")) {
                return line.substring(name.length() + 2);
            }
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}

package io.stampede.chaos.http;

import io.stampede.os.SelfConnect;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

/**
 * The proxy's connector to the upstream: refuses a connection to itself (see {@link SelfConnect}).
 * Jetty calls {@link #newConnection} once the socket is connected, before a byte is sent; throwing
 * there closes the channel and fails the request as a refused connection would.
 */
final class UpstreamConnector extends ClientConnector {

    @Override
    protected Connection newConnection(EndPoint endPoint, Map<String, Object> context) throws IOException {
        if (SelfConnect.is(endPoint.getLocalSocketAddress(), endPoint.getRemoteSocketAddress())) {
            throw SelfConnect.refused();
        }
        return super.newConnection(endPoint, context);
    }
}

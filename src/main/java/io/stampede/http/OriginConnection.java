package io.stampede.http;

/** A user's connection to one origin, kept alive between requests: HTTP/1.1 or HTTP/2. */
sealed interface OriginConnection extends AutoCloseable permits Http1Connection, H2Connection {

    /** Whether the next request may go on this connection. */
    boolean isOpen();

    @Override
    void close();
}

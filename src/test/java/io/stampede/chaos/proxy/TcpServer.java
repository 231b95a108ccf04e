package io.stampede.chaos.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small TCP service on 127.0.0.1 and a free port, for tests: each accepted connection is handed
 * to {@code handler} on its own virtual thread. {@link #close()} closes everything it opened.
 */
public final class TcpServer implements AutoCloseable {

    /** What the service does with one connection; the socket is closed after it returns. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket) throws IOException, InterruptedException;
    }

    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private TcpServer(Handler handler) throws IOException {
        listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("test-server-accept").start(() -> {
            while (true) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException closed) {
                    return;
                }
                sockets.add(socket);
                Thread.ofVirtual().name("test-server-connection").start(() -> {
                    try (socket) {
                        socket.setTcpNoDelay(true);
                        handler.handle(socket);
                    } catch (IOException | InterruptedException gone) {
                        // The test decides what a dropped connection means.
                    } finally {
                        sockets.remove(socket);
                    }
                });
            }
        });
    }

    public static TcpServer start(Handler handler) throws IOException {
        return new TcpServer(handler);
    }

    /** Writes back every byte it reads, and closes once the client has closed its side. */
    public static TcpServer echo() throws IOException {
        return start(socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int read; (read = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
            }
        });
    }

    /** Writes {@code data} in one write as soon as a client connects, then closes. */
    public static TcpServer sending(byte[] data) throws IOException {
        return start(socket -> {
            socket.getOutputStream().write(data);
            socket.shutdownOutput();
            // Wait for the client's close, so that closing never resets unread data.
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        });
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            acceptor.join();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.stampede.chaos.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/** Client-side socket helpers for tests: every read is bounded by {@link #READ_TIMEOUT_MILLIS}. */
public final class Wire {

    /** No test waits longer than this for a byte; a hang fails instead of blocking the build. */
    public static final int READ_TIMEOUT_MILLIS = 5_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private Wire() {
    }

    /** Connects to {@code host:port} with a bounded connect and read timeout. */
    public static Socket connect(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                CONNECT_TIMEOUT_MILLIS);
        return socket;
    }

    /** Whether connecting to {@code address} is refused (nothing listens there). */
    public static boolean refuses(String address) throws IOException {
        try {
            connect(address).close();
            return false;
        } catch (ConnectException refused) {
            return true;
        }
    }

    /** Reads exactly {@code length} bytes (fewer only if the stream ends first). */
    public static byte[] read(Socket socket, int length) throws IOException {
        byte[] data = socket.getInputStream().readNBytes(length);
        return data;
    }

    /** Reads until end of stream. */
    public static byte[] readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    /** Sends {@code message} and reads as many bytes back; returns the milliseconds it took. */
    public static long roundTripMillis(Socket socket, byte[] message) throws IOException {
        long start = System.nanoTime();
        socket.getOutputStream().write(message);
        byte[] answer = read(socket, message.length);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!Arrays.equals(answer, message)) {
            throw new IOException("echo mismatch: sent " + message.length + " bytes, got " + answer.length);
        }
        return millis;
    }

    /** Bytes 0, 1, 2, ... wrapping at 251 (a prime, so misplaced blocks show), starting at {@code from}. */
    public static byte[] pattern(long from, int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) ((from + i) % 251);
        }
        return data;
    }
}

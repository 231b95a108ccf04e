package io.stampede.http;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spreads connections to a loopback target over several source addresses, 127.0.0.1 to
 * 127.0.0.{@value #ADDRESSES}.
 *
 * <p>Why: the kernel gives one source address about 28,000 ephemeral ports ({@code
 * net.ipv4.ip_local_port_range}), so one source address can hold about 28,000 connections to one
 * service; past that, connecting fails with "Cannot assign requested address". Every 127.x.y.z
 * address is local on Linux, so binding each new socket to the next of {@value #ADDRESSES} source
 * addresses before connecting multiplies that by {@value #ADDRESSES}, for all processes together.
 * IPv6 has a single loopback address ({@code ::1}) and other targets are left to the kernel.
 *
 * <p>Where only 127.0.0.1 exists (macOS by default), the first failed bind turns the spreading off
 * for the rest of the process and connections go out unbound, as before.
 */
final class LoopbackSources {

    /** Source addresses used, 127.0.0.1 .. 127.0.0.ADDRESSES; ~28,000 connections each per target. */
    static final int ADDRESSES = 16;

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static volatile boolean unavailable;

    private LoopbackSources() {
    }

    /** The {@code n}th source address, in turn: 127.0.0.1, 127.0.0.2, ..., then 127.0.0.1 again. */
    static InetAddress address(int n) {
        int last = 1 + Math.floorMod(n, ADDRESSES);
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** Whether connections to {@code target} are spread: an IPv4 loopback address, and spreading still works here. */
    static boolean spreads(InetAddress target) {
        return !unavailable && target instanceof Inet4Address && target.isLoopbackAddress();
    }

    /**
     * Binds {@code socket} to the next source address when {@code target} is an IPv4 loopback
     * address. Returns the socket to connect: the same one, or, after a failed bind, a fresh unbound
     * one (a socket whose bind failed cannot be used again).
     */
    static Socket bindForTarget(Socket socket, InetAddress target) throws IOException {
        if (!spreads(target)) {
            return socket;
        }
        try {
            socket.bind(new InetSocketAddress(address(NEXT.getAndIncrement()), 0));
            return socket;
        } catch (IOException e) {
            bindFailed(e);
            socket.close();
            Socket fresh = new Socket();
            fresh.setTcpNoDelay(true);
            return fresh;
        }
    }

    /** {@link #bindForTarget(Socket, InetAddress)} for a channel: the same one, or a fresh unbound one. */
    static SocketChannel bindForTarget(SocketChannel channel, InetAddress target) throws IOException {
        if (!spreads(target)) {
            return channel;
        }
        try {
            channel.bind(new InetSocketAddress(address(NEXT.getAndIncrement()), 0));
            return channel;
        } catch (IOException e) {
            bindFailed(e);
            channel.close();
            SocketChannel fresh = SocketChannel.open();
            fresh.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return fresh;
        }
    }

    /** A bind to a source address failed: if the address does not exist, stop spreading. */
    private static void bindFailed(IOException e) {
        if (String.valueOf(e.getMessage()).contains("assign requested address")) {
            unavailable = true; // this system has 127.0.0.1 only
        }
    }
}

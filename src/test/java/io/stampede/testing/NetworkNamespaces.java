package io.stampede.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Separate hosts on one machine, for tests: a bridge with an address of a private /24 in this
 * (the root) network namespace, and {@code count} network namespaces, each joined to the bridge by
 * a veth pair and holding its own address in that /24. A process started with {@link #exec(int)}
 * in front of its command line runs in namespace {@code i}: it reaches the root namespace only at
 * {@link #bridgeAddress()}, and whatever it connects to sees {@link #address(int)}.
 *
 * <p>Needs root and iproute2 ({@link #unavailable()} says why not). Every name starts with
 * {@value #PREFIX} and this JVM's pid, so {@link #create(int)} first removes what an earlier test
 * JVM that died left behind (a name whose pid is gone) without touching one still running, and
 * {@link #close()} removes everything this one created, also after a failed step.
 */
public final class NetworkNamespaces implements AutoCloseable {

    /** The first characters of every namespace and link these tests create. */
    public static final String PREFIX = "stn";
    /** The private range the /24 is taken from: 10.213.X.0/24, X free on this machine. */
    private static final String RANGE = "10.213.";
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private final String tag = PREFIX + Long.toString(ProcessHandle.current().pid(), 36) + "-";
    private final List<String> namespaces = new ArrayList<>();
    private final String bridge = tag + "b";
    private int subnet;
    private boolean bridgeMade;

    private NetworkNamespaces() {
    }

    /** Why namespaces cannot be made here (not root, no {@code ip}, a kernel that refuses), or empty. */
    public static Optional<String> unavailable() {
        String probe = PREFIX + Long.toString(ProcessHandle.current().pid(), 36) + "-probe";
        try {
            Result added = ip("netns", "add", probe);
            if (added.code() != 0) {
                return Optional.of("'ip netns add' failed (root and iproute2 needed): " + added.output().strip());
            }
            ip("netns", "del", probe);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("no 'ip' command (iproute2): " + e.getMessage());
        }
    }

    /** The bridge, its address and {@code count} namespaces on it, each up with its own address. */
    public static NetworkNamespaces create(int count) throws IOException {
        removeLeftovers();
        NetworkNamespaces lab = new NetworkNamespaces();
        try {
            lab.subnet = freeSubnet();
            must("link", "add", lab.bridge, "type", "bridge");
            lab.bridgeMade = true;
            must("addr", "add", lab.bridgeAddress() + "/24", "dev", lab.bridge);
            must("link", "set", lab.bridge, "up");
            for (int i = 0; i < count; i++) {
                String ns = lab.tag + i;
                must("netns", "add", ns);
                lab.namespaces.add(ns);
                String outside = lab.tag + "h" + i;
                String inside = lab.tag + "n" + i;
                must("link", "add", outside, "type", "veth", "peer", "name", inside, "netns", ns); // goes with the namespace
                must("link", "set", outside, "master", lab.bridge, "up");
                must("-n", ns, "addr", "add", lab.address(i) + "/24", "dev", inside);
                must("-n", ns, "link", "set", inside, "up");
                must("-n", ns, "link", "set", "lo", "up");
            }
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** The root namespace's address on the bridge: where the namespaces reach this machine. */
    public String bridgeAddress() {
        return RANGE + subnet + ".1";
    }

    /** Namespace {@code i}'s own address. */
    public String address(int i) {
        return RANGE + subnet + "." + (11 + i);
    }

    /** The words that run a command in namespace {@code i}; {@code ip netns exec} execs it, so its pid is the command's. */
    public List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespaces.get(i));
    }

    /** Removes the namespaces (their veth pairs go with them) and the bridge. Idempotent. */
    @Override
    public void close() {
        for (String ns : namespaces) {
            quietly("netns", "del", ns);
        }
        namespaces.clear();
        if (bridgeMade) {
            quietly("link", "del", bridge);
            bridgeMade = false;
        }
    }

    /** Namespaces and links of ours whose creating JVM is gone: a test killed before its close(). */
    private static void removeLeftovers() throws IOException {
        for (String line : ip("netns", "list").output().lines().toList()) {
            String name = line.split("\\s+")[0];
            if (orphaned(name)) {
                quietly("netns", "del", name);
            }
        }
        for (String line : ip("-o", "link", "show").output().lines().toList()) {
            String[] fields = line.split(":\\s+");
            if (fields.length > 1) {
                String name = fields[1].replaceFirst("@.*$", "");
                if (orphaned(name)) {
                    quietly("link", "del", name);
                }
            }
        }
    }

    private static boolean orphaned(String name) {
        int dash = name.indexOf('-');
        if (!name.startsWith(PREFIX) || dash <= PREFIX.length()) {
            return false;
        }
        try {
            long pid = Long.parseLong(name.substring(PREFIX.length(), dash), 36);
            return ProcessHandle.of(pid).isEmpty();
        } catch (NumberFormatException notOurs) {
            return false;
        }
    }

    /** An X of 10.213.X.0/24 that no address on this machine is in yet (another test JVM may hold one). */
    private static int freeSubnet() throws IOException {
        String addresses = ip("-4", "-o", "addr", "show").output();
        int start = (int) (ProcessHandle.current().pid() % 250);
        for (int k = 0; k < 250; k++) {
            int x = 1 + (start + k) % 250;
            if (!addresses.contains(" " + RANGE + x + ".")) {
                return x;
            }
        }
        throw new IOException("no free /24 in " + RANGE + "0.0/16");
    }

    private record Result(int code, String output) {
    }

    private static Result ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no exit within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static void must(String... args) throws IOException {
        Result result = ip(args);
        if (result.code() != 0) {
            throw new IOException("ip " + String.join(" ", args) + ": exit " + result.code() + ": " + result.output().strip());
        }
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (IOException ignored) {
            // best effort: the next create() removes what is left
        }
    }
}

package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.chaos.proxy.ProxyServer;
import io.stampede.input.Addresses;
import io.stampede.input.Authority;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stampede proxy}: the fault proxy alone, behind Toxiproxy's HTTP API, until SIGTERM or
 * SIGINT; like {@code toxiproxy-server}, so Toxiproxy's clients and CLI drive it unchanged.
 *
 * <pre>
 * stampede proxy                                   # API on 127.0.0.1:8474
 * stampede proxy --port 0 --config proxies.json    # Toxiproxy's config format: [{"name","listen","upstream"}]
 * curl -X POST 127.0.0.1:8474/proxies -d '{"name":"app","listen":"127.0.0.1:15001","upstream":"127.0.0.1:5001"}'
 * curl -X POST 127.0.0.1:8474/proxies/app/toxics -d '{"type":"latency","attributes":{"latency":300}}'
 * </pre>
 *
 * Once listening it prints exactly one line, which supervisors and tests wait for:
 * {@code stampede proxy: API on http://HOST:PORT}. On SIGTERM or SIGINT every proxy is closed.
 */
@Command(name = "proxy",
        mixinStandardHelpOptions = true,
        description = {
            "Run the fault proxy with a Toxiproxy-compatible HTTP API until stopped with Ctrl-C or SIGTERM.",
            "Create proxies and add toxics (latency, bandwidth, slow_close, timeout, reset_peer, slicer, "
                    + "limit_data) with any Toxiproxy client, e.g. curl -X POST http://127.0.0.1:8474/proxies -d "
                    + "'{\"name\":\"app\",\"listen\":\"127.0.0.1:15001\",\"upstream\":\"127.0.0.1:5001\"}'.",
            ""
        })
public final class ProxyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = ProxyServer.DEFAULT_HOST, paramLabel = "HOST",
            description = "Address of the API (default: ${DEFAULT-VALUE}); other than loopback needs --allow-remote.")
    String host;

    @Option(names = "--port", defaultValue = "" + ProxyServer.DEFAULT_PORT, paramLabel = "PORT",
            description = "Port of the API; 0 picks a free one (default: ${DEFAULT-VALUE}, as toxiproxy-server).")
    int port;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Create proxies from a Toxiproxy config file: a JSON array of {name, listen, upstream, enabled}.")
    Path config;

    @Option(names = "--allow-remote",
            description = "Let the API listen on a non-loopback --host. Whoever reaches the API can point proxies "
                    + "anywhere and break connections, so only do this on a trusted network.")
    boolean allowRemote;

    @Override
    public Integer call() throws InterruptedException {
        try {
            Addresses.port(port, Addresses.ANY_FREE_PORT);
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput("--port: " + e.getMessage());
        }
        try {
            Addresses.host(host);
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput("--host: " + e.getMessage());
        }
        boolean loopback = isLoopback(host);
        if (!loopback && !allowRemote) {
            throw new StampedeException.BadInput("--host " + host + " is not a loopback address: anyone who can reach "
                    + "the API could redirect traffic through this machine and break connections; "
                    + "add --allow-remote to listen there anyway");
        }
        byte[] proxies = config == null ? null : readConfig(config);

        ProxyServer server = new ProxyServer(host, port);
        try {
            server.start();
        } catch (BindException inUse) {
            throw new StampedeException.CannotRun("port " + port + " on " + host
                    + " is already in use (choose another with --port)", inUse);
        } catch (IOException cannotListen) {
            throw new StampedeException.CannotRun("cannot listen on " + new Authority(host, port) + ": "
                    + cannotListen.getMessage() + " (check --host and --port)", cannotListen);
        }
        if (proxies != null) {
            populate(server, proxies);
        }
        // SIGTERM and SIGINT run shutdown hooks: closing there closes every proxy and its connections.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stampede-proxy-stop"));

        if (!loopback) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("stampede proxy: warning: the API on " + server.baseUrl() + " is reachable from other machines "
                    + "(--allow-remote); whoever reaches it can redirect traffic through this one");
            err.flush();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("stampede proxy: API on " + server.baseUrl());
        out.flush();
        server.join();
        return 0;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException unknown) {
            throw new StampedeException.BadInput("--host: unknown host " + host, unknown);
        }
    }

    private static byte[] readConfig(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException unreadable) {
            throw new StampedeException.BadInput("--config " + file + ": cannot read it (" + unreadable.getMessage() + ")", unreadable);
        }
    }

    private void populate(ProxyServer server, byte[] proxies) {
        try {
            List<FaultProxy> created = server.populate(proxies);
            if (created.isEmpty()) {
                spec.commandLine().getErr().println("stampede proxy: warning: --config " + config + " has no proxies");
            }
        } catch (IllegalArgumentException invalid) {
            server.close();
            throw new StampedeException.BadInput("--config " + config + ": " + invalid.getMessage(), invalid);
        } catch (UncheckedIOException cannotListen) {
            server.close();
            throw new StampedeException.CannotRun("--config " + config + ": " + cannotListen.getCause().getMessage(), cannotListen);
        }
    }
}

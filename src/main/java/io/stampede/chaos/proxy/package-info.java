/**
 * The fault proxy: Toxiproxy's model and HTTP API, in Java, on virtual threads.
 *
 * <h2>Model</h2>
 * A {@link io.stampede.chaos.proxy.FaultProxy} listens on one address and relays every connection to
 * one upstream. Faults are <em>toxics</em>, described by a {@link io.stampede.chaos.proxy.ToxicSpec}:
 * a type ({@code latency}, {@code bandwidth}, {@code slow_close}, {@code timeout}, {@code reset_peer},
 * {@code slicer}, {@code limit_data}), a direction ({@code upstream}: client to service;
 * {@code downstream}: service to client), a toxicity (the share of connections it acts on) and
 * attributes in Toxiproxy's names and units.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("app", "127.0.0.1:0", "127.0.0.1:5001")) {
 *     proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.DOWNSTREAM, Map.of("latency", 300L)));
 *     // users connect to proxy.listen() and every answer is 300 ms late
 *     proxy.removeToxic("latency_downstream");
 * }
 * }</pre>
 *
 * <h2>How a connection is relayed</h2>
 * Each direction of a connection is a {@link io.stampede.chaos.proxy.Link}: with no toxic, one
 * virtual thread copying bytes from socket to socket (so a proxy without faults costs what a plain
 * relay costs); with toxics, a chain of stages, one virtual thread per toxic, joined by bounded
 * pipes, so a slow toxic slows the sender through TCP instead of filling memory. The framework,
 * not each toxic, handles:
 * <ul>
 *   <li><b>direction</b>: a toxic is only ever wired into the links of its stream;</li>
 *   <li><b>toxicity</b>: each connection draws once per toxic when the toxic starts acting on it
 *       (the connection opens, the toxic is added, or it is updated, as in Toxiproxy) and runs a
 *       pass-through in its place if the draw says no;</li>
 *   <li><b>live changes</b>: adding a toxic stops the last stage, appends the new one and restarts
 *       it; removing one pauses its predecessor and moves what waited at its input to its output;
 *       a stopped toxic's unsent data goes back to its input. No byte is lost, duplicated or
 *       reordered ({@code ToxicRaceTest} churns every toxic on live streams to check it);</li>
 *   <li><b>ends</b>: a half-close passes through as a half-close; a toxic's close closes the
 *       connection after the data before it; a reset closes both sockets with {@code SO_LINGER 0}.</li>
 * </ul>
 *
 * <h2>The HTTP API</h2>
 * {@link io.stampede.chaos.proxy.ProxyServer} serves Toxiproxy's API (Jetty core handler, Jackson)
 * with its paths, JSON fields, status codes and {@code {"error", "status"}} bodies, so Toxiproxy's
 * clients drive it unchanged; {@code stampede proxy} runs it from the command line.
 *
 * <h2>Writing a toxic</h2>
 * See {@link io.stampede.chaos.proxy.toxics.Toxic} for the contract and
 * {@link io.stampede.chaos.proxy.toxics.Toxics} for registering one by name.
 */
package io.stampede.chaos.proxy;

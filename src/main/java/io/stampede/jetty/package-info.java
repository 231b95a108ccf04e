/**
 * The one way Stampede serves HTTP: {@link io.stampede.jetty.JettyServer} starts a Jetty server
 * (address, thread pool, connector settings, stop) and {@link io.stampede.jetty.Routes} is a
 * server's route table (method, path pattern, handler), read at a glance as Toxiproxy's
 * {@code api.go} or a Javalin app. The web UI, the Toxiproxy-compatible API, the demo service
 * and the HTTP fault proxy are built on them; this package depends on Jetty only.
 */
package io.stampede.jetty;

/**
 * Toxics: one network fault per class, behind one interface with one core method,
 * {@link io.stampede.chaos.proxy.toxics.Toxic#pipe}.
 *
 * <h2>Writing a toxic, in five rules</h2>
 * <ol>
 *   <li>Loop on {@link io.stampede.chaos.proxy.toxics.ToxicStub#take() take()} until it returns null,
 *       and {@link io.stampede.chaos.proxy.toxics.ToxicStub#send send} chunks, or in-order pieces of
 *       them, on. Returning passes the end of the stream on.</li>
 *   <li>Wait only with the stub ({@code sleepUntil}, {@code sleep}, {@code awaitStop}); never on a
 *       socket, never with your own locks. Every such wait is where the proxy may stop you.</li>
 *   <li>Let {@link java.lang.InterruptedException} out. The proxy gives back to your input whatever
 *       part of the last taken chunk you did not send, and may start you again on the same
 *       connection (when a toxic is added after you, or you are updated).</li>
 *   <li>Keep per-connection memory in {@link io.stampede.chaos.proxy.toxics.ToxicStub#state state};
 *       the toxic object holds settings only and is shared by every connection.</li>
 *   <li>End a connection with {@link io.stampede.chaos.proxy.toxics.ToxicStub#close close()} (a
 *       FIN after the data already sent) or {@link io.stampede.chaos.proxy.toxics.ToxicStub#reset
 *       reset()} (an RST), then return.</li>
 * </ol>
 * Direction and toxicity are not your concern: the proxy only runs you on the links of your
 * stream, and only on the connections your toxicity picked.
 *
 * <p>Then describe it with a {@link io.stampede.chaos.proxy.toxics.ToxicType} (type name, attribute
 * names, a factory that checks values) and {@link io.stampede.chaos.proxy.toxics.Toxics#register
 * register} it. {@link io.stampede.chaos.proxy.toxics.LatencyToxic} is a complete example in 40 lines.
 *
 * <h2>Testing one</h2>
 * A behaviour test through a real {@code FaultProxy} and a service on a loopback port (see
 * {@code LatencyToxicTest}), and an entry in {@code ToxicRaceTest}, which adds and removes the
 * toxic on live streams and closes the proxy mid-traffic.
 */
package io.stampede.chaos.proxy.toxics;

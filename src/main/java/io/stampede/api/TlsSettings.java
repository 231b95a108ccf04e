package io.stampede.api;

import java.util.ArrayList;
import java.util.List;

/**
 * How a Java scenario's users speak TLS to {@code https://} hosts, declared as a {@code public static
 * TlsSettings tls()} method on one {@link User} class of the scenario file, as {@link Load} is:
 *
 * <pre>{@code
 * public class ApiUser extends User {
 *     public static TlsSettings tls() {
 *         return TlsSettings.caFile("certs/ca.pem")                        // trust this CA (PEM, or a trust store)
 *                 .clientCertificate("certs/user.pem", "certs/user.key")   // mutual TLS: PEM cert + PKCS#8 key
 *                 .versions("1.2", "1.3");
 *     }
 * }
 *
 * TlsSettings.insecure()                                  // accept any certificate (warned in the results)
 * TlsSettings.systemCas().clientKeyStore("user.p12", "secret")   // mutual TLS with a PKCS#12 file
 * TlsSettings.caFile("certs/ca.pem")                     // one host with its own CA and client certificate
 *         .host("auth.local:9443", TlsSettings.caFile("certs/auth-ca.pem").clientCertificate("a.pem", "a.key"))
 * }</pre>
 *
 * <p>Files are relative to the scenario file's folder. The values are checked at start-up with the
 * plan file's rules and messages ({@code http.tls}), naming the scenario line that set them; the plan
 * file's {@code http.tls} keys and the flags ({@code --ca-file}, {@code --insecure}, ...) win over
 * them. Every method returns a new, immutable value. Without a declaration, users trust the JDK's CAs.
 */
public final class TlsSettings {

    private final List<Load.Setting> settings;
    private final List<Host> hosts;

    private TlsSettings(List<Load.Setting> settings, List<Host> hosts) {
        this.settings = List.copyOf(settings);
        this.hosts = List.copyOf(hosts);
    }

    /**
     * One host's own settings, as given to {@link #host}.
     *
     * @param host {@code name:port}, or {@code name} for any port
     * @param line the scenario line that gave them
     */
    public record Host(String host, TlsSettings tls, int line) {
    }

    /** The JDK's trusted CAs; add a client certificate or versions to it. */
    public static TlsSettings systemCas() {
        return new TlsSettings(List.of(), List.of());
    }

    /** Trust the CAs in this PEM file, or in this PKCS#12 or JKS trust store, instead of the JDK's. */
    public static TlsSettings caFile(String file) {
        return systemCas().with("caFile", file);
    }

    /** Accept any certificate for any host (k6's insecureSkipTLSVerify): for a test bed, never to prove a service. */
    public static TlsSettings insecure() {
        return systemCas().with("insecure", "true");
    }

    /** The password of the trust store given to {@link #caFile}. */
    public TlsSettings caPassword(String password) {
        return with("caPassword", password);
    }

    /** Mutual TLS: a PEM certificate (its chain may follow) and its PEM PKCS#8 private key. */
    public TlsSettings clientCertificate(String certFile, String keyFile) {
        return with("cert", certFile).with("key", keyFile);
    }

    /** Mutual TLS: a PKCS#12 file holding the certificate and its key. */
    public TlsSettings clientKeyStore(String p12File, String password) {
        return with("cert", p12File).with("password", password);
    }

    /** The TLS versions offered, from {@code min} to {@code max}: "1.2" or "1.3". */
    public TlsSettings versions(String min, String max) {
        return with("minVersion", min).with("maxVersion", max);
    }

    /**
     * Other settings for one host ({@code name:port}, or {@code name} for any port), as in the plan
     * file's {@code http.tls.hosts}: what {@code own} sets replaces these settings for that host only;
     * what it leaves out comes from these. Its own per-host entries are ignored.
     */
    public TlsSettings host(String host, TlsSettings own) {
        List<Host> next = new ArrayList<>(hosts);
        next.removeIf(h -> h.host().equalsIgnoreCase(host));
        next.add(new Host(host, own, callerLine()));
        return new TlsSettings(settings, next);
    }

    /** The values as written, keyed as the plan file's {@code http.tls} keys, each with its source line. */
    public List<Load.Setting> settings() {
        return settings;
    }

    /** The per-host settings given with {@link #host}, in order. */
    public List<Host> hosts() {
        return hosts;
    }

    private TlsSettings with(String key, String value) {
        List<Load.Setting> next = new ArrayList<>(settings);
        next.removeIf(s -> s.key().equals(key));
        next.add(new Load.Setting(key, value, callerLine()));
        return new TlsSettings(next, hosts);
    }

    private static int callerLine() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(TlsSettings.class.getName()))
                .findFirst().map(StackWalker.StackFrame::getLineNumber).orElse(0));
    }
}

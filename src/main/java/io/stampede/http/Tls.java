package io.stampede.http;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The run's TLS client side, shared by every user: one {@link SSLContext}, so its session cache
 * lets a user's reconnect resume the session (TLS 1.2 session ids, TLS 1.3 tickets) instead of a
 * full handshake, as a browser does. The JDK keys cached sessions by host and port.
 *
 * <p>Verification is the browser's: the chain must lead to a trusted CA (the plan's, else the JDK's)
 * and the certificate must name the host ({@code HTTPS} endpoint identification); the host name also
 * goes out as SNI. {@code insecure} skips both checks, never the encryption.
 */
public final class Tls {

    /** The versions offered when the plan names none: TLS 1.3, then 1.2 (older ones are disabled by the JDK). */
    static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The JDK's CAs, made on first use: reading cacerts and setting up a context costs tens of
     * milliseconds at start-up, which a run against an http:// host should not pay.
     */
    private static final Tls SYSTEM = new Tls(null, List.of(), null, false, DEFAULT_PROTOCOLS, Map.of());

    private volatile SSLContext context;
    private volatile SSLSocketFactory factory;
    /** The trusted CAs' certificates, public material another process may be sent; empty: the JDK's. */
    private final List<X509Certificate> cas;
    /** The client certificate and its key; null: none. */
    private final KeyStoreWithPassword keys;
    private final boolean insecure;
    private final String[] protocols;
    /** Other settings for some hosts, by {@code host:port} or {@code host} (any port); empty for most runs. */
    private final Map<String, Tls> hosts;

    private Tls(SSLContext context, List<X509Certificate> cas, KeyStoreWithPassword keys, boolean insecure,
                List<String> protocols, Map<String, Tls> hosts) {
        this.context = context;
        this.cas = List.copyOf(cas);
        this.keys = keys;
        this.factory = context == null ? null : context.getSocketFactory();
        this.insecure = insecure;
        this.protocols = protocols.toArray(String[]::new);
        this.hosts = Map.copyOf(hosts);
    }

    /** The JDK's trusted CAs, no client certificate, TLS 1.2 and 1.3: for a plan without a {@code tls:} section. */
    public static Tls system() {
        return SYSTEM;
    }

    private SSLSocketFactory factory() {
        SSLSocketFactory made = factory;
        if (made == null) {
            synchronized (this) {
                if (factory == null) {
                    context = context(null, null, false);
                    factory = context.getSocketFactory();
                }
                made = factory;
            }
        }
        return made;
    }

    /** The context, for the JDK's HTTP client (WebSockets, event streams): the same trust and keys as users' requests. */
    SSLContext context() {
        factory();
        return context;
    }

    /** The versions offered, for the JDK's HTTP client (which sends SNI and checks the host name itself). */
    SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(protocols);
        return parameters;
    }

    /**
     * The settings for connections to {@code host:port}: a per-host entry ({@code host:port}, else
     * {@code host} for any port), else these.
     */
    Tls forHost(String host, int port) {
        if (hosts.isEmpty()) {
            return this;
        }
        Tls exact = hosts.get(host + ":" + port);
        if (exact != null) {
            return exact;
        }
        return hosts.getOrDefault(host, this);
    }

    /** These settings, with others for some hosts (keys {@code host:port} or {@code host}, lower case). */
    public Tls withHosts(Map<String, Tls> byHost) {
        return byHost.isEmpty() ? this : new Tls(context, cas, keys, insecure, List.of(protocols), byHost);
    }

    /** The other settings for some hosts, by {@code host:port} or {@code host}; empty for most runs. */
    public Map<String, Tls> hosts() {
        return hosts;
    }

    /** The trusted CAs' certificates; empty when the JDK's are trusted. */
    public List<X509Certificate> cas() {
        return cas;
    }

    /** Whether these settings (not a host's) skip the certificate and host name checks. */
    public boolean skipsVerification() {
        return insecure;
    }

    /** The versions offered, highest first: "TLSv1.3", "TLSv1.2". */
    public List<String> protocols() {
        return List.of(protocols);
    }

    /** The client certificate these settings present (its public part), if any. */
    public Optional<X509Certificate> clientCertificate() {
        if (keys == null) {
            return Optional.empty();
        }
        try {
            for (String alias : Collections.list(keys.store().aliases())) {
                if (keys.store().isKeyEntry(alias) && keys.store().getCertificate(alias) instanceof X509Certificate cert) {
                    return Optional.of(cert);
                }
            }
            return Optional.empty();
        } catch (KeyStoreException e) {
            throw new IllegalStateException("client key store: " + e.getMessage(), e);
        }
    }

    /**
     * Settings made in another process from their public parts (see {@link #cas()}), with the client
     * certificate and key of {@code keysOf}, this process's own (null: none).
     */
    public static Tls of(List<X509Certificate> cas, boolean insecure, List<String> protocols, Tls keysOf) {
        KeyStoreWithPassword keys = keysOf == null ? null : keysOf.keys;
        KeyStore trust = null;
        if (!cas.isEmpty()) {
            try {
                trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    trust.setCertificateEntry("ca-" + i, cas.get(i));
                }
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("trust store: " + e.getMessage(), e);
            }
        }
        return new Tls(context(trust, keys, insecure), cas, keys, insecure, protocols, Map.of());
    }

    /**
     * A context from checked parts (see {@link TlsDraft}).
     *
     * @param trust   trusted CAs, or null for the JDK's
     * @param keys    the client certificate and its key under one alias, or null
     */
    static Tls build(KeyStore trust, KeyStoreWithPassword keys, boolean insecure, List<String> protocols) {
        return new Tls(context(trust, keys, insecure), certificates(trust), keys, insecure, protocols, Map.of());
    }

    /** The certificates a trust store trusts, as the JDK's trust manager reads them: every entry's (first) one. */
    private static List<X509Certificate> certificates(KeyStore trust) {
        if (trust == null) {
            return List.of();
        }
        try {
            List<X509Certificate> found = new ArrayList<>();
            for (String alias : Collections.list(trust.aliases())) {
                if (trust.getCertificate(alias) instanceof X509Certificate cert) {
                    found.add(cert);
                }
            }
            return found;
        } catch (KeyStoreException e) {
            throw new IllegalStateException("trust store: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(KeyStore trust, KeyStoreWithPassword keys, boolean insecure) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory kmf = null;
            if (keys != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys.store(), keys.password());
            }
            TrustManager[] trustManagers;
            if (insecure) {
                trustManagers = new TrustManager[] {new TrustingAll()};
            } else {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust); // null: the JDK's cacerts
                trustManagers = tmf.getTrustManagers();
            }
            context.init(kmf == null ? null : kmf.getKeyManagers(), trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS context: " + e.getMessage(), e);
        }
    }

    /** A key store and the password of its key entry. */
    record KeyStoreWithPassword(KeyStore store, char[] password) {
    }

    /**
     * Whether certificates go unchecked ({@code insecure: true}) for any host: the run says so on the
     * console and in its results.
     */
    public boolean insecure() {
        return insecure || hosts.values().stream().anyMatch(tls -> tls.insecure);
    }

    /**
     * Layers TLS over a connected {@code socket} to {@code host} (the name the certificate must carry
     * and the SNI sent), without handshaking: the caller starts the handshake, so it can time it apart
     * from the connect.
     */
    SSLSocket wrap(Socket socket, String host, int port) throws IOException {
        return wrap(socket, host, port, List.of());
    }

    /** The same, offering these application protocols in ALPN ("h2", "http/1.1"); none: no ALPN. */
    SSLSocket wrap(Socket socket, String host, int port, List<String> applicationProtocols) throws IOException {
        SSLSocket tls = (SSLSocket) factory().createSocket(socket, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(protocols);
        if (!isIpLiteral(host)) {
            // the JDK sends SNI only for names with a dot: "localhost" or a one-label service name would go without
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        if (!insecure) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!applicationProtocols.isEmpty()) {
            parameters.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
        }
        tls.setSSLParameters(parameters);
        return tls;
    }

    /** RFC 6066: SNI carries host names, never addresses. */
    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * A short, stable name for a TLS failure, for the failures table: no dates, serial numbers or
     * host names in it, so each kind of problem is one row.
     */
    static String failureName(SSLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException) {
                return "certificate expired";
            }
            if (cause instanceof CertificateNotYetValidException) {
                return "certificate not yet valid";
            }
            if (cause instanceof CertPathValidatorException path
                    && path.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "certificate expired";
            }
            if (cause instanceof CertPathValidatorException path
                    && path.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                return "certificate revoked";
            }
            String message = String.valueOf(cause.getMessage());
            if (message.contains("unable to find valid certification path")
                    || message.contains("Path does not chain with any of the trust anchors")) {
                return "unknown CA";
            }
            if (message.contains("No subject alternative") || message.contains("No name matching")) {
                return "hostname mismatch";
            }
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("no appropriate protocol") || message.contains("protocol_version")
                || message.contains("protocol version")) {
            return "handshake failed: no shared protocol";
        }
        if (message.contains("no negotiable cipher") || message.contains("insufficient_security")) {
            return "handshake failed: no shared cipher";
        }
        if (message.contains("no_application_protocol")) {
            return NotNegotiated.NAME;
        }
        if (message.contains("certificate_required")) {
            return "handshake failed: the service requires a client certificate";
        }
        if (message.contains("unknown_ca") || message.contains("bad_certificate") || message.contains("certificate_unknown")) {
            return "handshake failed: the service refused the client certificate";
        }
        if (message.contains("unrecognized ssl message") || message.contains("plaintext connection")) {
            return "handshake failed: the service does not speak TLS here";
        }
        if (message.contains("received fatal alert: ")) {
            return "handshake failed: " + message.substring(message.indexOf("received fatal alert: ") + 22).strip();
        }
        return "TLS error";
    }

    /** {@code insecure: true}: every certificate passes, for any host (as k6's insecureSkipTLSVerify). */
    private static final class TrustingAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

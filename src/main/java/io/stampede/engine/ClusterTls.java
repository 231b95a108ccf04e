package io.stampede.engine;

import io.stampede.http.PemFiles;
import io.stampede.http.Tls;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The users' TLS settings as a coordinator sends them to a networked worker: only what is public.
 * The trusted CAs go as PEM text (a worker needs no files), with the checks' switch, the versions
 * and each host's own; a client certificate's private key never crosses the network: the plan says
 * only that one is needed, and each worker presents its own ({@code stampede worker --client-cert}).
 *
 * @param run               the settings for every host without its own
 * @param hosts             a host's own settings, by {@code host:port} or {@code host}
 * @param clientCertificate the plan presents a client certificate (to some host): a worker without one is refused
 */
record ClusterTls(Trust run, Map<String, Trust> hosts, boolean clientCertificate) {

    private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    ClusterTls {
        hosts = Map.copyOf(hosts);
    }

    /**
     * One set of settings.
     *
     * @param caPem     each trusted CA's certificate in PEM; empty: the JDK's CAs
     * @param insecure  no certificate or host name check
     * @param protocols the versions offered, highest first ("TLSv1.3")
     */
    record Trust(List<String> caPem, boolean insecure, List<String> protocols) {
        Trust {
            caPem = List.copyOf(caPem);
            protocols = List.copyOf(protocols);
        }

        static Trust of(Tls tls) {
            return new Trust(tls.cas().stream().map(ClusterTls::pem).toList(), tls.skipsVerification(), tls.protocols());
        }

        Tls tls(Tls keys) {
            return Tls.of(caPem.stream().flatMap(pem -> certificates(pem).stream()).toList(), insecure, protocols, keys);
        }
    }

    /** The public parts of the run's settings. */
    static ClusterTls of(Tls tls) {
        Map<String, Trust> hosts = new LinkedHashMap<>();
        tls.hosts().forEach((host, own) -> hosts.put(host, Trust.of(own)));
        return new ClusterTls(Trust.of(tls), hosts, Stream.concat(Stream.of(tls), tls.hosts().values().stream())
                .anyMatch(t -> t.clientCertificate().isPresent()));
    }

    /**
     * The run's settings on a worker, with its own client certificate and key ({@code keys}, null for
     * none) for every host: a worker has one, the plan's stand-in wherever the plan has one.
     */
    Tls tls(Tls keys) {
        if (keys == null && hosts.isEmpty() && run.equals(Trust.of(Tls.system()))) {
            return Tls.system(); // made on first use: a run against http:// pays nothing
        }
        Map<String, Tls> byHost = new LinkedHashMap<>();
        hosts.forEach((host, own) -> byHost.put(host, own.tls(keys)));
        return run.tls(keys).withHosts(byHost);
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + PEM_BASE64.encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a trusted certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the text holds no certificate the JDK reads */
    static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> found = PemFiles.certificates(pem.getBytes(StandardCharsets.US_ASCII));
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no certificate in the coordinator's CA text");
            }
            return found;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the coordinator's CA text: " + e.getMessage(), e);
        }
    }
}

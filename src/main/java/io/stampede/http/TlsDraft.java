package io.stampede.http;

import io.stampede.input.Addresses;
import io.stampede.input.Authority;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The users' TLS settings as written (plan file {@code http.tls}, flags, a Java scenario's
 * {@code tls()}), each with its origin; {@link #check} reads the files once per run and makes the
 * run's {@link Tls}. Every problem names the file or field, so a run never starts with a TLS setup
 * that could only fail on the wire.
 *
 * @param caFile     PEM file of trusted CA certificates, or a trust store (PKCS#12, JKS); null: the JDK's CAs
 * @param caPassword the trust store's password, if it has one
 * @param insecure   "true": no certificate or host name check (k6's insecureSkipTLSVerify)
 * @param cert       the client certificate for mutual TLS: PEM (with {@code key}) or PKCS#12 holding both
 * @param key        the client's PEM PKCS#8 private key
 * @param password   the PKCS#12 file's password
 * @param minVersion lowest version offered, "1.2" or "1.3"; null: 1.2
 * @param maxVersion highest version offered; null: 1.3
 * @param hosts      settings for some hosts ({@code http.tls.hosts}), each laid over these ones
 */
public record TlsDraft(Located<Path> caFile, Located<String> caPassword, Located<String> insecure,
                       Located<Path> cert, Located<Path> key, Located<String> password,
                       Located<String> minVersion, Located<String> maxVersion, List<HostTls> hosts) {

    /** Versions by their plan-file names, lowest first. */
    private static final List<String> VERSIONS = List.of("1.2", "1.3");
    private static final String CLIENT_ALIAS = "client";

    public TlsDraft {
        hosts = List.copyOf(hosts);
    }

    /** Settings for every host alike. */
    public TlsDraft(Located<Path> caFile, Located<String> caPassword, Located<String> insecure,
                    Located<Path> cert, Located<Path> key, Located<String> password,
                    Located<String> minVersion, Located<String> maxVersion) {
        this(caFile, caPassword, insecure, cert, key, password, minVersion, maxVersion, List.of());
    }

    /**
     * One host's own settings: {@code host} is {@code name:port} or {@code name} (any port); the values
     * it sets replace the run's for that host only.
     */
    public record HostTls(Located<String> host, TlsDraft tls) {
    }

    public static TlsDraft none() {
        return new TlsDraft(null, null, null, null, null, null, null, null);
    }

    /**
     * This draft with every value {@code over} sets replacing this one's (flags over a plan file); a
     * host's entry in {@code over} replaces this one's entry for the same host.
     */
    public TlsDraft with(TlsDraft over) {
        List<HostTls> mergedHosts = new ArrayList<>(hosts);
        for (HostTls entry : over.hosts) {
            mergedHosts.removeIf(h -> hostKey(h.host.value()).equals(hostKey(entry.host.value())));
            mergedHosts.add(entry);
        }
        return new TlsDraft(pick(over.caFile, caFile), pick(over.caPassword, caPassword), pick(over.insecure, insecure),
                pick(over.cert, cert), pick(over.key, key), pick(over.password, password),
                pick(over.minVersion, minVersion), pick(over.maxVersion, maxVersion), mergedHosts);
    }

    private static String hostKey(String host) {
        return host.strip().toLowerCase(Locale.ROOT);
    }

    private static <T> T pick(T over, T under) {
        return over != null ? over : under;
    }

    /** The run's TLS side; what is wrong goes to {@code problems} (and the JDK's defaults come back). */
    public Tls check(Problems problems) {
        TlsDraft common = new TlsDraft(caFile, caPassword, insecure, cert, key, password, minVersion, maxVersion);
        int before = problems.list().size();
        Tls run = common.checkOne(problems);
        Map<String, Tls> byHost = new LinkedHashMap<>();
        for (HostTls entry : hosts) {
            String host = hostName(entry.host, problems);
            if (host != null) {
                TlsDraft own = entry.tls;
                byHost.put(host, common.with(new TlsDraft(own.caFile, own.caPassword, own.insecure, own.cert, own.key,
                        own.password, own.minVersion, own.maxVersion)).checkOne(problems));
            }
        }
        return problems.list().size() > before ? Tls.system() : run.withHosts(byHost);
    }

    /** A per-host key: {@code name} or {@code name:port}, lower case, brackets off an IPv6 address. */
    private static String hostName(Located<String> host, Problems problems) {
        Authority authority;
        try {
            authority = Authority.parse(hostKey(host.value()), Addresses.MIN_PORT);
        } catch (IllegalArgumentException bad) {
            problems.add(host.where() + ": a host is name or name:port (as in the URL), got " + Problems.quoted(host.value()));
            return null;
        }
        // the keys Tls.forHost looks up: the host as URI.getHost() gives it, less an IPv6 address's brackets
        return authority.hasPort() ? authority.host() + ":" + authority.port() : authority.host();
    }

    /** These values alone, without the per-host entries. */
    private Tls checkOne(Problems problems) {
        if (equals(none())) {
            return Tls.system();
        }
        int before = problems.list().size();
        boolean skipVerify = insecure != null && flag(insecure, problems);
        List<String> protocols = protocols(problems);
        KeyStore trust = caFile == null ? null : trustStore(problems);
        Tls.KeyStoreWithPassword keys = clientKeys(problems);
        if (problems.list().size() > before) {
            return Tls.system();
        }
        return Tls.build(trust, keys, skipVerify, protocols);
    }

    private static boolean flag(Located<String> value, Problems problems) {
        return switch (value.value().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(value.where() + ": expected true or false, got " + Problems.quoted(value.value()));
                yield false;
            }
        };
    }

    /** The JDK's protocol names from min to max, highest first. */
    private List<String> protocols(Problems problems) {
        int min = version(minVersion, 0, problems);
        int max = version(maxVersion, VERSIONS.size() - 1, problems);
        if (min > max) {
            problems.add(minVersion.where() + ": minVersion " + VERSIONS.get(min) + " is above maxVersion " + VERSIONS.get(max));
            return Tls.DEFAULT_PROTOCOLS;
        }
        List<String> protocols = new ArrayList<>();
        for (int i = min; i <= max; i++) {
            protocols.add("TLSv" + VERSIONS.get(i));
        }
        Collections.reverse(protocols);
        return protocols;
    }

    private static int version(Located<String> value, int otherwise, Problems problems) {
        if (value == null) {
            return otherwise;
        }
        String text = value.value().strip();
        text = text.toUpperCase(Locale.ROOT).startsWith("TLSV") ? text.substring(4) : text;
        int i = VERSIONS.indexOf(text);
        if (i < 0) {
            problems.add(value.where() + ": TLS version is 1.2 or 1.3, got " + Problems.quoted(value.value()));
            return otherwise;
        }
        return i;
    }

    private KeyStore trustStore(Problems problems) {
        Path file = caFile.value();
        if (!readable(caFile, problems)) {
            return null;
        }
        try {
            if (PemFiles.isPem(file)) {
                List<X509Certificate> cas = PemFiles.certificates(file);
                if (cas.isEmpty()) {
                    problems.add(caFile.where() + ": no certificate in " + file);
                    return null;
                }
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("ca-" + i, cas.get(i));
                }
                return store;
            }
            KeyStore store = KeyStore.getInstance(file.toFile(), chars(caPassword));
            if (store.size() == 0) {
                problems.add(caFile.where() + ": no certificate in the trust store " + file);
                return null;
            }
            return store;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            problems.add(caFile.where() + ": cannot read " + file + " as PEM certificates or a trust store: " + reason(e));
            return null;
        }
    }

    private Tls.KeyStoreWithPassword clientKeys(Problems problems) {
        if (cert == null) {
            if (key != null) {
                problems.add(key.where() + ": a client key needs its certificate (cert, --client-cert)");
            }
            return null;
        }
        if (!readable(cert, problems) || (key != null && !readable(key, problems))) {
            return null;
        }
        try {
            if (!PemFiles.isPem(cert.value())) {
                return pkcs12(problems);
            }
        } catch (IOException e) {
            problems.add(cert.where() + ": cannot read " + cert.value() + ": " + reason(e));
            return null;
        }
        if (key == null) {
            problems.add(cert.where() + ": a PEM client certificate needs its key (key, --client-key)");
            return null;
        }
        List<X509Certificate> chain;
        try {
            chain = PemFiles.certificates(cert.value());
        } catch (IOException | GeneralSecurityException e) {
            problems.add(cert.where() + ": cannot read the certificate in " + cert.value() + ": " + reason(e));
            return null;
        }
        if (chain.isEmpty()) {
            problems.add(cert.where() + ": no certificate in " + cert.value());
            return null;
        }
        PrivateKey privateKey;
        try {
            privateKey = PemFiles.privateKey(key.value());
        } catch (IOException | IllegalArgumentException e) {
            problems.add(key.where() + ": " + key.value() + ": " + reason(e));
            return null;
        }
        if (!matches(privateKey, chain.get(0))) {
            problems.add(key.where() + ": the key in " + key.value() + " does not match the certificate in " + cert.value());
            return null;
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] entryPassword = new char[0];
            store.setKeyEntry(CLIENT_ALIAS, privateKey, entryPassword, chain.toArray(Certificate[]::new));
            return new Tls.KeyStoreWithPassword(store, entryPassword);
        } catch (IOException | GeneralSecurityException e) {
            problems.add(cert.where() + ": cannot use the certificate in " + cert.value() + ": " + reason(e));
            return null;
        }
    }

    private Tls.KeyStoreWithPassword pkcs12(Problems problems) {
        char[] secret = chars(password);
        try {
            KeyStore store = KeyStore.getInstance(cert.value().toFile(), secret);
            boolean hasKey = false;
            for (String alias : Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                problems.add(cert.where() + ": no private key in " + cert.value() + " (a PKCS#12 file with the client's certificate and key)");
                return null;
            }
            if (key != null) {
                problems.add(key.where() + ": the key is inside the PKCS#12 file " + cert.value() + "; give no separate key");
                return null;
            }
            return new Tls.KeyStoreWithPassword(store, secret);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            String where = password != null ? password.where() + " or " + cert.where() : cert.where();
            problems.add(where + ": cannot open " + cert.value() + " as PKCS#12"
                    + (String.valueOf(e.getMessage()).contains("password") ? ": wrong password" : ": " + reason(e)));
            return null;
        }
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // no check for rarer kinds: the handshake will tell
        }
        try {
            byte[] probe = "stampede key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean readable(Located<Path> file, Problems problems) {
        if (!Files.isRegularFile(file.value())) {
            problems.add(file.where() + ": file not found: " + file.value());
            return false;
        }
        if (!Files.isReadable(file.value())) {
            problems.add(file.where() + ": cannot read " + file.value() + " (permission denied)");
            return false;
        }
        return true;
    }

    private static char[] chars(Located<String> secret) {
        return secret == null ? null : secret.value().toCharArray();
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

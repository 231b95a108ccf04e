package io.stampede.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and PKCS#8 private keys with the JDK alone.
 *
 * <p>Why no Bouncy Castle: the JDK reads X.509 certificates from PEM itself, and an unencrypted
 * PKCS#8 key ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey} and {@code openssl req
 * -noenc} write) is base64 around the DER that {@link PKCS8EncodedKeySpec} takes. Encrypted keys
 * and the older PKCS#1/SEC1 forms ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY})
 * would need it; they get a message with the one {@code openssl} command that converts them.
 */
public final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    /** Tried in turn: the algorithm is inside the DER, but the JDK wants it named. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {
    }

    /** Whether a file is PEM text (else: a binary key or trust store). */
    static boolean isPem(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    /** The certificates in a PEM file, in order; none is a problem for the caller. */
    static List<X509Certificate> certificates(Path file) throws IOException, CertificateException {
        return certificates(Files.readAllBytes(file));
    }

    /** The certificates in PEM text, in order; none is a problem for the caller. */
    public static List<X509Certificate> certificates(byte[] pem) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate c : factory.generateCertificates(new ByteArrayInputStream(pem))) {
            certificates.add((X509Certificate) c);
        }
        return certificates;
    }

    /**
     * The private key in a PEM file.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static PrivateKey privateKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(Base64.getMimeDecoder().decode(block.group(2).strip()));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("the key is encrypted; decrypt it to"
                        + " PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8', or use a PKCS#12 file with a password");
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException("the key is " + type
                        + " (PKCS#1/SEC1); convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
                default -> {
                    // a certificate or parameters before the key: look further
                }
            }
        }
        throw new IllegalArgumentException("no 'BEGIN PRIVATE KEY' block (a PEM PKCS#8 key) in it");
    }

    private static PrivateKey pkcs8(byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException notThisOne) {
                // the next algorithm
            }
        }
        throw new IllegalArgumentException("cannot read the PKCS#8 key (not RSA, EC or EdDSA, or damaged)");
    }
}

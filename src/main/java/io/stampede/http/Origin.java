package io.stampede.http;

import io.stampede.input.Addresses;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a connection goes: scheme, host and port. A user keeps one connection per origin, so a
 * scenario that calls other hosts by absolute URL keeps each of them alive as a browser does.
 *
 * @param hostHeader the Host header's value: the host, with the port unless it is the scheme's default
 */
record Origin(boolean secure, String host, int port, String hostHeader) {

    static Origin of(URI uri) {
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean defaultPort = port == (secure ? 443 : 80);
        return new Origin(secure, Addresses.bareHost(host), port, Addresses.urlHost(host) + (defaultPort ? "" : ":" + port));
    }

    /** The origin as a URI, to resolve a redirect's location against. */
    URI uri() {
        return URI.create((secure ? "https" : "http") + "://" + hostHeader + "/");
    }

    /** Whether {@code path} is an absolute {@code http://} or {@code https://} URL rather than a path on the run's host. */
    static boolean isAbsolute(String path) {
        return path.regionMatches(true, 0, "http://", 0, 7) || path.regionMatches(true, 0, "https://", 0, 8);
    }

    /**
     * Splits an absolute URL into its origin and the request target sent to it ("/" when it has no
     * path), or null when the authority is not host[:port]. Only the authority is parsed: the rest
     * goes out as written, as a relative path does.
     */
    static Split split(String url) {
        int authorityStart = url.indexOf("://") + 3;
        int end = authorityStart;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        URI uri;
        try {
            uri = new URI(url.substring(0, end).toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return null;
        }
        if (uri.getHost() == null) {
            return null;
        }
        String rest = url.substring(end);
        return new Split(of(uri), rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest);
    }

    /** An absolute URL's origin and its path with the query. */
    record Split(Origin origin, String path) {
    }
}

package io.stampede.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** One check and one message per kind of mistake in a URL, a host or a port. */
class AddressesTest {

    @Test
    void goodUrls() {
        assertThat(Addresses.httpBase("http://127.0.0.1:5001/")).isEqualTo("http://127.0.0.1:5001");
        assertThat(Addresses.httpBase("https://example.test")).isEqualTo("https://example.test");
        assertThat(Addresses.httpBase("http://[::1]:8080")).isEqualTo("http://[::1]:8080");
        assertThat(Addresses.httpUrl("http://localhost:1/api").getPort()).isEqualTo(1);
        assertThat(Addresses.hostPort("127.0.0.1:65535")).isEqualTo("127.0.0.1:65535");
    }

    @Test
    void aHostAsAUrlWritesIt() throws Exception {
        assertThat(Addresses.urlHost("::1")).isEqualTo("[::1]");
        assertThat(Addresses.urlHost("[::1]")).isEqualTo("[::1]");
        assertThat(Addresses.urlHost("0:0:0:0:0:0:0:1")).isEqualTo("[0:0:0:0:0:0:0:1]");
        assertThat(Addresses.urlHost("::")).isEqualTo("[::]");
        assertThat(Addresses.urlHost("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(Addresses.urlHost("0.0.0.0")).isEqualTo("0.0.0.0");
        assertThat(Addresses.urlHost("localhost")).isEqualTo("localhost");
        assertThat(Addresses.urlHost("svc.ns.svc.cluster.local")).isEqualTo("svc.ns.svc.cluster.local");
        assertThat(Addresses.urlHost("::ffff:127.0.0.1")).isEqualTo("[::ffff:127.0.0.1]");
        assertThat(Addresses.urlHost("fe80::1%eth0")).isEqualTo("[fe80::1%eth0]");
        assertThat(Addresses.urlHost("[fe80::1%eth0]")).isEqualTo("[fe80::1%eth0]");
        // what a URL built with it means to Java's URI: the same host and port back
        for (String host : new String[] {"::1", "[::1]", "127.0.0.1", "localhost", "fe80::1%eth0"}) {
            URI uri = new URI("http://" + Addresses.urlHost(host) + ":5001/");
            assertThat(uri.getPort()).as(host).isEqualTo(5001);
            assertThat(uri.getHost().replaceAll("^\\[|\\]$", "")).as(host).isEqualTo(host.replaceAll("^\\[|\\]$", ""));
        }
    }

    @Test
    void eachMistakeIsNamed() {
        assertThatThrownBy(() -> Addresses.httpBase("http://127.0.0.1:99999")).hasMessage("port 99999 is out of range 1..65535");
        assertThatThrownBy(() -> Addresses.httpBase("http://127.0.0.1:0")).hasMessage("port 0 is out of range 1..65535");
        assertThatThrownBy(() -> Addresses.httpBase("http://127.0.0.1:12345678901234567890"))
                .hasMessage("port 12345678901234567890 is out of range 1..65535");
        assertThatThrownBy(() -> Addresses.httpBase("http://127.0.0.1:http")).hasMessage("port 'http' is not a whole number");
        assertThatThrownBy(() -> Addresses.httpBase("ftp://x")).hasMessage("'ftp://x' has the scheme ftp; Stampede speaks http:// and https://");
        assertThatThrownBy(() -> Addresses.httpBase("localhost:80")).hasMessage("'localhost:80' needs a scheme: http://localhost:80");
        assertThatThrownBy(() -> Addresses.httpBase("http://300.1.1.1"))
                .hasMessage("'300.1.1.1' is not an IPv4 address: four numbers 0..255, e.g. 127.0.0.1");
        assertThatThrownBy(() -> Addresses.httpBase("http://:80")).hasMessage("'http://:80' has no host name");
        assertThatThrownBy(() -> Addresses.httpBase("http://a b")).hasMessage("'a b' is not a host name: letters, digits, '-' and '.' only");
        assertThatThrownBy(() -> Addresses.httpBase("http://h/api")).hasMessage("'http://h/api' must be scheme://host[:port] without a path");
        assertThatThrownBy(() -> Addresses.httpBase("http://u:p@h")).hasMessage("'http://u:p@h' has a user name; send credentials as a header instead");
        assertThatThrownBy(() -> Addresses.hostPort("127.0.0.1:99999")).hasMessage("port 99999 is out of range 1..65535");
        assertThatThrownBy(() -> Addresses.hostPort("127.0.0.1")).hasMessage("'127.0.0.1' has no port; an address is host:port, e.g. 127.0.0.1:6379");
        assertThatThrownBy(() -> Addresses.port(70_000, Addresses.ANY_FREE_PORT)).hasMessage("port 70000 is out of range 0..65535");
    }
}

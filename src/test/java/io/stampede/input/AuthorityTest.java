package io.stampede.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The one split of host[:port]: the forms a user writes, the bare host back, and each mistake named. */
class AuthorityTest {

    @Test
    void eachFormSplitsIntoABareHostAndAPort() {
        assertThat(Authority.parse("[::1]:8080", Addresses.MIN_PORT)).isEqualTo(new Authority("::1", 8080));
        assertThat(Authority.parse("::1", Addresses.MIN_PORT)).isEqualTo(new Authority("::1", Authority.NO_PORT));
        assertThat(Authority.parse("[::1]", Addresses.MIN_PORT)).isEqualTo(new Authority("::1", Authority.NO_PORT));
        assertThat(Authority.parse("127.0.0.1:80", Addresses.MIN_PORT)).isEqualTo(new Authority("127.0.0.1", 80));
        assertThat(Authority.parse("host", Addresses.MIN_PORT)).isEqualTo(new Authority("host", Authority.NO_PORT));
        assertThat(Authority.parse(" localhost:0 ", Addresses.ANY_FREE_PORT)).isEqualTo(new Authority("localhost", 0));
        assertThat(Authority.parse("[fe80::1%eth0]:443", Addresses.MIN_PORT)).isEqualTo(new Authority("fe80::1%eth0", 443));
    }

    @Test
    void writtenBackAsAUrlWritesIt() throws Exception {
        for (String text : new String[] {"[::1]:8080", "[::1]", "127.0.0.1:80", "host", "host:1"}) {
            assertThat(Authority.parse(text, Addresses.MIN_PORT).toString()).isEqualTo(text);
        }
        assertThat(Authority.parse("::1", Addresses.MIN_PORT).toString()).isEqualTo("[::1]");
        // what Java's own parsers make of the parts: the same address
        Authority v6 = Authority.parse("[::1]:8080", Addresses.MIN_PORT);
        URI uri = new URI("http://" + v6 + "/");
        assertThat(Addresses.bareHost(uri.getHost())).isEqualTo(v6.host());
        assertThat(uri.getPort()).isEqualTo(v6.port());
        assertThat(InetAddress.getByName(v6.host()).isLoopbackAddress()).isTrue();
    }

    @Test
    void aBareHostIsTheInverseOfAUrlHost() {
        for (String host : new String[] {"::1", "127.0.0.1", "localhost", "fe80::1%eth0", "::"}) {
            assertThat(Addresses.bareHost(Addresses.urlHost(host))).isEqualTo(host);
        }
        assertThat(Addresses.bareHost("[::1]")).isEqualTo("::1");
        assertThat(Addresses.bareHost("[")).isEqualTo("[");
    }

    @Test
    void wildcardsInEveryForm() {
        for (String host : new String[] {"0.0.0.0", "::", "[::]", "[0:0:0:0:0:0:0:0]", "0::0"}) {
            assertThat(Addresses.isWildcard(host)).as(host).isTrue();
        }
        for (String host : new String[] {"127.0.0.1", "::1", "[::1]", "localhost", "10.0.0.0"}) {
            assertThat(Addresses.isWildcard(host)).as(host).isFalse();
        }
    }

    @Test
    void eachMistakeIsNamed() {
        assertThatThrownBy(() -> Authority.parse("[::1", Addresses.MIN_PORT))
                .hasMessage("'[::1' opens an IPv6 address with '[' but does not close it");
        assertThatThrownBy(() -> Authority.parse("[::1]8080", Addresses.MIN_PORT))
                .hasMessage("'[::1]8080' has '8080' after the IPv6 address; expected :PORT");
        assertThatThrownBy(() -> Authority.parse("::1]:8080", Addresses.MIN_PORT)).hasMessage("'::1]:8080' is not an IPv6 address");
        assertThatThrownBy(() -> Authority.parse("host]:80", Addresses.MIN_PORT))
                .hasMessage("'host]:80' closes an IPv6 address with ']' but does not open it");
        assertThatThrownBy(() -> Authority.parse("[127.0.0.1]:80", Addresses.MIN_PORT))
                .hasMessage("'[127.0.0.1]:80': only an IPv6 address goes in brackets, got '127.0.0.1'");
        assertThatThrownBy(() -> Authority.parse("[]:80", Addresses.MIN_PORT)).hasMessage("'[]:80' has no host name");
        assertThatThrownBy(() -> Authority.parse("[::1]:0", Addresses.MIN_PORT)).hasMessage("port 0 is out of range 1..65535");
        assertThatThrownBy(() -> Authority.parse("", Addresses.MIN_PORT)).hasMessage("'' has no host name");
    }

    @Test
    void aUrlOrAnAddressWantsItsIpv6InBrackets() {
        assertThatThrownBy(() -> Addresses.hostPort("::1:8080")).hasMessage("'::1:8080': an IPv6 address goes in brackets, e.g. [::1]:8080");
        assertThatThrownBy(() -> Addresses.httpUrl("http://::1:8080/")).hasMessage("'http://::1:8080/': an IPv6 address goes in brackets, e.g. [::1]:8080");
        assertThatThrownBy(() -> Addresses.httpUrl("http://[::1:8080/"))
                .hasMessage("'http://[::1:8080/' opens an IPv6 address with '[' but does not close it");
        assertThat(Addresses.hostPort("[::1]:8080")).isEqualTo("[::1]:8080");
        assertThat(Addresses.host("::1")).isEqualTo("::1");
        assertThat(Addresses.host("[::1]")).isEqualTo("[::1]");
        assertThatThrownBy(() -> Addresses.host("127.0.0.1:80")).hasMessage("'127.0.0.1:80' is a host alone, without a port");
        assertThatThrownBy(() -> Addresses.host("[::1")).hasMessage("'[::1' opens an IPv6 address with '[' but does not close it");
    }

    @Test
    void aUrlsAuthorityHasABareHostAndAPortEvenWhenTheUrlLeavesItOut() {
        assertThat(Authority.of(URI.create("http://[::1]:8080/x"))).isEqualTo(new Authority("::1", 8080));
        assertThat(Authority.of(URI.create("http://[::1]"))).isEqualTo(new Authority("::1", Authority.HTTP_PORT));
        assertThat(Authority.of(URI.create("http://127.0.0.1"))).isEqualTo(new Authority("127.0.0.1", 80));
        assertThat(Authority.of(URI.create("https://localhost"))).isEqualTo(new Authority("localhost", 443));
        assertThat(Authority.of(URI.create("HTTPS://localhost/"))).isEqualTo(new Authority("localhost", 443));
        assertThat(Authority.of(URI.create("ws://[::1]/socket"))).isEqualTo(new Authority("::1", 80));
        assertThat(Authority.of(URI.create("wss://127.0.0.1"))).isEqualTo(new Authority("127.0.0.1", 443));
        // written back: never "::1:80" (a different address) nor "127.0.0.1:-1"
        assertThat(Authority.of(URI.create("http://[::1]")).toString()).isEqualTo("[::1]:80");
        assertThat(Authority.of(URI.create("https://127.0.0.1")).toString()).isEqualTo("127.0.0.1:443");
        assertThatThrownBy(() -> Authority.of(URI.create("http:///path"))).hasMessage("'http:///path' has no host name");
        assertThatThrownBy(() -> Authority.of(URI.create("ftp://127.0.0.1"))).hasMessage("'ftp://127.0.0.1' has no port");
    }

    @Test
    void eitherSpellingOfAnIpv6HostIsTheSameAuthority() throws Exception {
        assertThat(new Authority("[::1]", 8080)).isEqualTo(new Authority("::1", 8080));
        Authority v6 = new Authority("::1", 8080);
        assertThat(v6.urlHost()).isEqualTo("[::1]");
        assertThat(v6.url("http")).isEqualTo(URI.create("http://[::1]:8080"));
        assertThat(v6.withPort(9090).toString()).isEqualTo("[::1]:9090");
        assertThat(v6.socketAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(v6.socketAddress().getPort()).isEqualTo(8080);
        assertThat(new Authority("127.0.0.1", 0).toString()).isEqualTo("127.0.0.1:0");
        assertThatThrownBy(() -> new Authority("::1", Authority.NO_PORT).socketAddress()).hasMessage("[::1] has no port");
    }
}

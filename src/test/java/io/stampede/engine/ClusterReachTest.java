package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The users' URL a worker is sent: a fault proxy on every address is named by the address that worker reached. */
class ClusterReachTest {

    @Test
    void aWildcardHostBecomesTheAddressTheWorkersConnectionArrivedAt() throws Exception {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("10.213.7.1"), 5557);
        assertThat(ClusterPool.reachable("http://0.0.0.0:40123", local)).isEqualTo("http://10.213.7.1:40123");
        assertThat(ClusterPool.reachable("http://[::]:40123/base", local)).isEqualTo("http://10.213.7.1:40123/base");
        assertThat(ClusterPool.reachable("http://[0:0:0:0:0:0:0:0]:40123", local)).isEqualTo("http://10.213.7.1:40123");
    }

    @Test
    void anIpv6AddressIsBracketedWithoutItsScope() throws Exception {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("fe80::1%1"), 5557);
        assertThat(ClusterPool.reachable("http://0.0.0.0:8080", local)).isEqualTo("http://[fe80:0:0:0:0:0:0:1]:8080");
    }

    @Test
    void anyOtherHostIsLeftAsItIs() throws Exception {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("10.213.7.1"), 5557);
        assertThat(ClusterPool.reachable("http://10.0.0.5:5001", local)).isEqualTo("http://10.0.0.5:5001");
        assertThat(ClusterPool.reachable("https://shop.example:443/0.0.0.0", local)).isEqualTo("https://shop.example:443/0.0.0.0");
        assertThat(ClusterPool.reachable("http://0.0.0.0:8080", null)).isEqualTo("http://0.0.0.0:8080");
    }
}

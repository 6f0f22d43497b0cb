package dev.tally.servicekit.outbound;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundAddressPolicyTest {

    private final HostTable dns = new HostTable();
    private final OutboundAddressPolicy policy = new OutboundAddressPolicy(AllowList.NONE, dns);

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, loopback",
            "127.8.9.10, loopback",
            "[::1], loopback",
            "10.0.0.1, private",
            "172.16.0.1, private",
            "172.31.255.254, private",
            "192.168.1.1, private",
            "[fc00::1], private (unique local)",
            "[fd12:3456::1], private (unique local)",
            "169.254.169.254, cloud metadata",
            "[fd00:ec2::254], cloud metadata",
            "169.254.10.1, link-local",
            "[fe80::1], link-local",
            "0.0.0.0, unspecified",
            "[::], unspecified",
            "224.0.0.1, multicast",
            "239.255.255.250, multicast",
            "[ff02::1], multicast",
            "100.64.0.1, carrier-grade NAT",
            "255.255.255.255, reserved",
            "[::ffff:127.0.0.1], loopback",
            "[::ffff:169.254.169.254], cloud metadata",
            "[::ffff:a9fe:a9fe], cloud metadata",
            "[::10.0.0.1], private",
            "[64:ff9b::7f00:1], loopback"})
    void a_refused_address_is_refused_when_saved_with_its_kind(String host, String kind) {
        assertThatThrownBy(() -> policy.checkHost(host))
                .isInstanceOfSatisfying(RefusedAddressException.class, e -> assertThat(e.reason())
                        .startsWith("is ").endsWith(kind + " address, which Tally does not call"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "[::1]", "[fe80::1]", "169.254.169.254"})
    void a_refused_address_is_refused_when_connecting(String host) {
        assertThatThrownBy(() -> policy.connectable(host)).isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void an_ipv4_mapped_address_that_java_keeps_as_ipv6_is_judged_by_its_ipv4_address() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);

        assertThatThrownBy(() -> policy.checkConnect("rebind.example", address))
                .hasMessageContaining("a loopback address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "[2606:4700:4700::1111]", "172.32.0.1", "100.128.0.1",
            "192.169.0.1"})
    void a_public_address_is_allowed(String host) {
        assertThatCode(() -> policy.checkHost(host)).doesNotThrowAnyException();
    }

    @Test
    void a_name_is_judged_by_every_address_it_resolves_to_when_saved() {
        dns.point("hooks.example.com", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c");
        dns.point("split.example.com", "93.184.215.14", "127.0.0.1");

        assertThatCode(() -> policy.checkHost("hooks.example.com")).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.checkHost("split.example.com"))
                .isInstanceOfSatisfying(RefusedAddressException.class, e -> assertThat(e.reason())
                        .isEqualTo("resolves to 127.0.0.1, a loopback address, which Tally does not call"));
    }

    @Test
    void a_connection_goes_only_to_the_allowed_addresses_of_a_name() throws Exception {
        dns.point("split.example.com", "127.0.0.1", "93.184.215.14");

        assertThat(policy.connectable("split.example.com")).containsExactly(HostTable.address("93.184.215.14"));
    }

    @Test
    void a_name_that_resolved_to_a_public_address_when_saved_is_refused_when_it_resolves_to_loopback_later() {
        dns.point("rebind.example.com", "93.184.215.14");
        assertThatCode(() -> policy.checkUrl("https://rebind.example.com/hook")).doesNotThrowAnyException();

        dns.point("rebind.example.com", "127.0.0.1");

        assertThatThrownBy(() -> policy.connectable("rebind.example.com"))
                .isInstanceOf(RefusedAddressException.class)
                .hasMessage("rebind.example.com resolves to 127.0.0.1, a loopback address, which Tally does not call");
    }

    @Test
    void localhost_is_refused_through_the_system_resolver() {
        OutboundAddressPolicy system = OutboundAddressPolicy.withAllowList("");

        assertThatThrownBy(() -> system.checkHost("localhost"))
                .isInstanceOfSatisfying(RefusedAddressException.class,
                        e -> assertThat(e.reason()).startsWith("resolves to ").contains("a loopback address"));
        assertThatThrownBy(() -> system.checkUrl("http://localhost:8082/admin/republish"))
                .isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void the_host_of_a_url_is_checked_whatever_surrounds_it() {
        assertThatThrownBy(() -> policy.checkUrl("http://hooks.example.com@127.0.0.1:8081/x"))
                .isInstanceOf(RefusedAddressException.class);
        assertThatThrownBy(() -> policy.checkUrl("https://[::1]:8443/x")).isInstanceOf(RefusedAddressException.class);
        assertThatThrownBy(() -> policy.checkUrl("http://[::ffff:7f00:1]/")).isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void the_metadata_service_is_refused_by_name_without_asking_dns() {
        OutboundAddressPolicy noDns = new OutboundAddressPolicy(AllowList.NONE, host -> {
            throw new AssertionError("looked up " + host);
        });

        assertThatThrownBy(() -> noDns.checkHost("metadata.google.internal"))
                .isInstanceOfSatisfying(RefusedAddressException.class,
                        e -> assertThat(e.reason()).isEqualTo("names a cloud metadata service, which Tally does not call"));
        assertThatThrownBy(() -> noDns.connectable("Metadata.Google.Internal.")).isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void a_name_that_does_not_resolve_is_refused_when_saved_and_retried_when_connecting() {
        assertThatThrownBy(() -> policy.checkHost("nowhere.example.com"))
                .isInstanceOfSatisfying(RefusedAddressException.class,
                        e -> assertThat(e.reason()).isEqualTo("does not resolve to an address"));
        assertThatThrownBy(() -> policy.connectable("nowhere.example.com")).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void the_allow_list_admits_exactly_the_hosts_addresses_and_blocks_it_names() throws Exception {
        dns.point("smtp.corp.internal", "10.9.9.9");
        dns.point("other.corp.internal", "10.9.9.9");
        dns.point("localhost", "127.0.0.1");
        OutboundAddressPolicy allowing = new OutboundAddressPolicy(
                AllowList.parse(" 127.0.0.1, 10.1.0.0/16 ,SMTP.corp.internal., fd00:1::/32"), dns);

        assertThatCode(() -> allowing.checkHost("127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> allowing.checkHost("localhost")).doesNotThrowAnyException();
        assertThatCode(() -> allowing.checkHost("10.1.2.3")).doesNotThrowAnyException();
        assertThatCode(() -> allowing.checkHost("[fd00:1:2::3]")).doesNotThrowAnyException();
        assertThatCode(() -> allowing.checkHost("smtp.corp.internal")).doesNotThrowAnyException();
        assertThat(allowing.connectable("smtp.corp.internal")).containsExactly(HostTable.address("10.9.9.9"));

        assertThatThrownBy(() -> allowing.checkHost("127.0.0.2")).isInstanceOf(RefusedAddressException.class);
        assertThatThrownBy(() -> allowing.checkHost("[::1]")).isInstanceOf(RefusedAddressException.class);
        assertThatThrownBy(() -> allowing.checkHost("10.2.0.1")).isInstanceOf(RefusedAddressException.class);
        assertThatThrownBy(() -> allowing.checkHost("[fd00:2::1]")).isInstanceOf(RefusedAddressException.class);
        assertThatThrownBy(() -> allowing.checkHost("other.corp.internal")).isInstanceOf(RefusedAddressException.class);
        assertThatThrownBy(() -> allowing.connectable("other.corp.internal")).isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void an_allow_list_entry_that_is_neither_a_host_nor_an_address_stops_the_service() {
        assertThatThrownBy(() -> AllowList.parse("127.0.0.1, http://localhost:8080"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'http://localhost:8080'");
        assertThatThrownBy(() -> AllowList.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }
}

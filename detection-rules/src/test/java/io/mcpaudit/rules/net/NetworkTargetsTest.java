package io.mcpaudit.rules.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkTargetsTest {
    private final NetworkTargets targets = new NetworkTargets();

    private NetworkTarget one(String text) {
        List<NetworkTarget> all = targets.find(text);
        assertThat(all).as(text).hasSize(1);
        return all.get(0);
    }

    @Test
    void urlHostsWithPortsAndUserInfo() {
        NetworkTarget t = one("{\"url\":\"http://user:pw@Metadata.Google.Internal:80/computeMetadata/v1/\"}");
        assertThat(t.host()).isEqualTo("metadata.google.internal");
        assertThat(t.scheme()).contains("http");
        assertThat(t.ip()).isEmpty();
    }

    @Test
    void encodedIpv4FormsResolveToTheAddressAClientWouldUse() {
        assertThat(one("http://2130706433/").ip()).contains("127.0.0.1");
        assertThat(one("http://2130706433/").encoding()).contains("decimal");
        assertThat(one("http://0x7f000001/").ip()).contains("127.0.0.1");
        assertThat(one("http://0x7f.0.0.1/").encoding()).contains("hex");
        assertThat(one("http://0177.0.0.1/").ip()).contains("127.0.0.1");
        assertThat(one("http://0177.0.0.1/").encoding()).contains("octal");
        assertThat(one("http://127.1/").ip()).contains("127.0.0.1");
        assertThat(one("http://127.1/").encoding()).contains("short");
        assertThat(one("http://169.254.169.254/latest/meta-data").encoding()).isEmpty();
    }

    @Test
    void ipv6AndMappedForms() {
        assertThat(one("http://[::1]:8080/").ip()).contains("::1");
        NetworkTarget mapped = one("http://[::ffff:127.0.0.1]/");
        assertThat(mapped.ip()).contains("127.0.0.1");
        assertThat(mapped.encoding()).contains("ipv4_mapped");
        assertThat(one("http://[::ffff:7f00:1]/").ip()).contains("127.0.0.1");
        assertThat(one("http://[fd00:ec2::254]/").ip()).contains("fd00:ec2::254");
    }

    @Test
    void percentEncodedHostsAreDecoded() {
        NetworkTarget t = one("http://%31%32%37.0.0.1/");
        assertThat(t.ip()).contains("127.0.0.1");
        assertThat(t.encoding()).contains("percent");
    }

    @Test
    void hostKeysButNotAddressesInProse() {
        assertThat(targets.find("{\"host\": \"10.0.0.5\", \"port\": 22}")).extracting(NetworkTarget::ip).contains(Optional.of("10.0.0.5"));
        assertThat(targets.find("{\"content\": \"server listening on 127.0.0.1:8080\"}")).isEmpty();
    }

    @Test
    void namesAreNeverResolved() {
        NetworkTarget t = one("https://github.com/modelcontextprotocol/servers");
        assertThat(t.ip()).isEmpty();
        assertThat(t.host()).isEqualTo("github.com");
    }

    @Test
    void cidrBlocks() {
        assertThat(CidrBlock.parse("fc00::/7").orElseThrow().contains(IpAddresses.parse("fdff::1").orElseThrow())).isTrue();
        assertThat(CidrBlock.parse("fc00::/7").orElseThrow().contains(IpAddresses.parse("fe00::1").orElseThrow())).isFalse();
        assertThat(CidrBlock.parse("10.0.0.0/8").orElseThrow().contains(IpAddresses.parse("::ffff:10.1.2.3").orElseThrow())).isTrue();
        assertThat(CidrBlock.parse("10.0.0.0/33")).isEmpty();
        assertThat(IpAddresses.parse("example.com")).isEmpty();
        assertThat(IpAddresses.format(IpAddresses.parse("2001:db8:0:0:0:0:0:1").orElseThrow())).isEqualTo("2001:db8::1");
    }
}

package io.mcpaudit.rules.sigma.match;

import io.mcpaudit.rules.event.RuleEvent;
import io.mcpaudit.rules.event.ValueText;
import io.mcpaudit.rules.net.CidrBlock;
import io.mcpaudit.rules.net.IpAddresses;
import java.util.Optional;

/**
 * The {@code cidr} modifier. Event values must be address literals; IPv4-mapped IPv6 addresses
 * ({@code ::ffff:127.0.0.1}) are compared as the IPv4 address they carry, as a socket would.
 */
public final class CidrMatcher implements ValueMatcher {
    private final CidrBlock block;

    public CidrMatcher(CidrBlock block) {
        this.block = block;
    }

    @Override
    public int find(Object value, RuleEvent event) {
        if (value == null) {
            return -1;
        }
        Optional<byte[]> addr = IpAddresses.parse(ValueText.of(value));
        return addr.isPresent() && block.contains(addr.get()) ? 0 : -1;
    }

    @Override
    public String describe() {
        return block.text();
    }
}

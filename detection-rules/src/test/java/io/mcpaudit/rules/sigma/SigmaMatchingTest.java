package io.mcpaudit.rules.sigma;

import static io.mcpaudit.rules.TestRules.compile;
import static io.mcpaudit.rules.TestRules.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigmaMatchingTest {

    private static CompiledRule sel(String body) {
        return compile("  sel:\n" + body + "  condition: sel\n");
    }

    @Test
    void plainValuesMatchWholeValueCaseInsensitively() {
        CompiledRule r = sel("    mcp.method.name: Tools/Call\n");
        assertThat(r.matches(event("mcp.method.name", "tools/call"))).isTrue();
        assertThat(r.matches(event("mcp.method.name", "TOOLS/CALL"))).isTrue();
        assertThat(r.matches(event("mcp.method.name", "tools/call2"))).isFalse();
        assertThat(r.matches(event("other", "tools/call"))).isFalse();
    }

    @Test
    void fieldsResolveFlatNestedAndMixed() {
        CompiledRule r = sel("    mcp.method.name: tools/call\n");
        assertThat(r.matches(Map.of("mcp", Map.of("method", Map.of("name", "tools/call"))))).isTrue();
        assertThat(r.matches(Map.of("mcp", Map.of("method.name", "tools/call")))).isTrue();
        assertThat(r.matches(Map.of("mcp.method", Map.of("name", "tools/call")))).isTrue();
    }

    @Test
    void listsInEventsMatchWhenAnyElementMatches() {
        CompiledRule r = sel("    process.args: '-y'\n");
        assertThat(r.matches(event("process.args", List.of("npx", "-y", "pkg")))).isTrue();
        assertThat(r.matches(event("process.args", List.of("npx", "pkg")))).isFalse();
        CompiledRule nested = sel("    content.text|contains: secret\n");
        assertThat(nested.matches(Map.of("content", List.of(Map.of("text", "a"), Map.of("text", "the secret"))))).isTrue();
    }

    @Test
    void valueListsAreOrAndMapsAreAnd() {
        CompiledRule r = sel("    a: [x, y]\n    b: z\n");
        assertThat(r.matches(event("a", "y", "b", "z"))).isTrue();
        assertThat(r.matches(event("a", "y", "b", "q"))).isFalse();
        CompiledRule anyMap = compile("  sel:\n    - a: x\n    - b: z\n  condition: sel\n");
        assertThat(anyMap.matches(event("b", "z"))).isTrue();
        assertThat(anyMap.matches(event("a", "z"))).isFalse();
    }

    @Test
    void wildcardsAndEscapes() {
        assertThat(sel("    f: 'prog?.exe'\n").matches(event("f", "progA.exe"))).isTrue();
        assertThat(sel("    f: 'prog?.exe'\n").matches(event("f", "prog.exe"))).isFalse();
        assertThat(sel("    f: 'a*c'\n").matches(event("f", "abbbc"))).isTrue();
        assertThat(sel("    f: 'a*c'\n").matches(event("f", "abbbcd"))).isFalse();
        // Escaped wildcards are literal characters.
        assertThat(sel("    f: 'a\\*c'\n").matches(event("f", "a*c"))).isTrue();
        assertThat(sel("    f: 'a\\*c'\n").matches(event("f", "abc"))).isFalse();
        assertThat(sel("    f: 'why\\?'\n").matches(event("f", "why?"))).isTrue();
        // A backslash before anything else is literal; an escaped backslash before a wildcard
        // leaves the wildcard active.
        assertThat(sel("    f: 'C:\\Windows'\n").matches(event("f", "c:\\windows"))).isTrue();
        assertThat(sel("    f: 'dir\\\\*'\n").matches(event("f", "dir\\anything"))).isTrue();
        assertThat(sel("    f: 'dir\\\\\\*'\n").matches(event("f", "dir\\*"))).isTrue();
        assertThat(sel("    f: 'dir\\\\\\*'\n").matches(event("f", "dir\\x"))).isFalse();
        // Wildcards span line breaks, like any other character.
        assertThat(sel("    f: 'a*b'\n").matches(event("f", "a\n\nb"))).isTrue();
    }

    @Test
    void containsStartsWithEndsWith() {
        assertThat(sel("    f|contains: IGNORE\n").matches(event("f", "please ignore this"))).isTrue();
        assertThat(sel("    f|startswith: npx\n").matches(event("f", "NPX -y x"))).isTrue();
        assertThat(sel("    f|startswith: npx\n").matches(event("f", "run npx"))).isFalse();
        assertThat(sel("    f|endswith: .sh\n").matches(event("f", "install.SH"))).isTrue();
        assertThat(sel("    f|endswith: .sh\n").matches(event("f", "install.sh.txt"))).isFalse();
        assertThat(sel("    f|contains: 'a?c'\n").matches(event("f", "xxabcxx"))).isTrue();
    }

    @Test
    void casedMatchesCaseSensitively() {
        assertThat(sel("    f|cased: AKIA\n").matches(event("f", "AKIA"))).isTrue();
        assertThat(sel("    f|cased: AKIA\n").matches(event("f", "akia"))).isFalse();
        assertThat(sel("    f|contains|cased: Secret\n").matches(event("f", "my Secret"))).isTrue();
        assertThat(sel("    f|contains|cased: Secret\n").matches(event("f", "my secret"))).isFalse();
        assertThat(sel("    f|cased: 'A*Z'\n").matches(event("f", "abz"))).isFalse();
    }

    @Test
    void allRequiresEveryValue() {
        CompiledRule r = sel("    f|contains|all:\n      - curl\n      - '| sh'\n");
        assertThat(r.matches(event("f", "curl https://x | sh"))).isTrue();
        assertThat(r.matches(event("f", "curl https://x -o a"))).isFalse();
    }

    @Test
    void manyContainsValuesUseOneLiteralSetWithTheSameResult() {
        StringBuilder values = new StringBuilder("    f|contains:\n      - alpha\n      - gamma\n");
        for (int i = 0; i < 30; i++) {
            values.append("      - filler").append(i).append("x\n");
        }
        CompiledRule r = sel(values.toString());
        assertThat(r.matches(event("f", "xx GAMMA yy"))).isTrue();
        assertThat(r.matches(event("f", "alphabet"))).isTrue();
        assertThat(r.matches(event("f", "alph bet"))).isFalse();
    }

    @Test
    void regexIsCaseSensitiveUnlessI() {
        assertThat(sel("    f|re: 'ab+c'\n").matches(event("f", "xxabbbcxx"))).isTrue();
        assertThat(sel("    f|re: 'ab+c'\n").matches(event("f", "ABBC"))).isFalse();
        assertThat(sel("    f|re|i: 'ab+c'\n").matches(event("f", "ABBC"))).isTrue();
    }

    @Test
    void regexMultilineAndDotAll() {
        assertThat(sel("    f|re: '^second'\n").matches(event("f", "first\nsecond"))).isFalse();
        assertThat(sel("    f|re|m: '^second'\n").matches(event("f", "first\nsecond"))).isTrue();
        assertThat(sel("    f|re: 'a.b'\n").matches(event("f", "a\nb"))).isFalse();
        assertThat(sel("    f|re|s: 'a.b'\n").matches(event("f", "a\nb"))).isTrue();
    }

    @Test
    void regexIsLinearTimeOnPathologicalInput() {
        // (a+)+b backtracks exponentially in java.util.regex; RE2/J answers at once.
        CompiledRule r = sel("    f|re: '(a+)+b'\n");
        assertThat(r.matches(event("f", "a".repeat(5000) + "c"))).isFalse();
    }

    @Test
    void base64AndBase64Offset() {
        String encoded = Base64.getEncoder().encodeToString("ignore previous instructions".getBytes(StandardCharsets.UTF_8));
        assertThat(sel("    f|base64: 'ignore previous instructions'\n").matches(event("f", encoded))).isTrue();
        assertThat(sel("    f|base64|contains: 'ignore previous instructions'\n").matches(event("f", "x " + encoded + " y"))).isTrue();
        CompiledRule offset = sel("    f|base64offset|contains: 'http://169.254.169.254'\n");
        for (String prefix : List.of("", "a", "ab", "abc", "GET ")) {
            String blob = Base64.getEncoder().encodeToString((prefix + "http://169.254.169.254/latest").getBytes(StandardCharsets.UTF_8));
            assertThat(offset.matches(event("f", blob))).as("offset of prefix '%s'", prefix).isTrue();
        }
        String other = Base64.getEncoder().encodeToString("http://example.com/".getBytes(StandardCharsets.UTF_8));
        assertThat(offset.matches(event("f", other))).isFalse();
    }

    @Test
    void utf16SubModifiersEncodeBeforeBase64() {
        String wide = Base64.getEncoder().encodeToString("cmd".getBytes(StandardCharsets.UTF_16LE));
        assertThat(sel("    f|wide|base64: cmd\n").matches(event("f", wide))).isTrue();
        assertThat(sel("    f|utf16le|base64: cmd\n").matches(event("f", wide))).isTrue();
        String be = Base64.getEncoder().encodeToString("cmd".getBytes(StandardCharsets.UTF_16BE));
        assertThat(sel("    f|utf16be|base64: cmd\n").matches(event("f", be))).isTrue();
    }

    @Test
    void cidrOnIpv4AndIpv6() {
        CompiledRule r = sel("    ip|cidr:\n      - 127.0.0.0/8\n      - 169.254.0.0/16\n      - fc00::/7\n      - fe80::/10\n");
        assertThat(r.matches(event("ip", "127.10.0.1"))).isTrue();
        assertThat(r.matches(event("ip", "169.254.169.254"))).isTrue();
        assertThat(r.matches(event("ip", "fd12:3456::1"))).isTrue();
        assertThat(r.matches(event("ip", "[fe80::1%eth0]"))).isTrue();
        assertThat(r.matches(event("ip", "::ffff:127.0.0.1"))).isTrue();
        assertThat(r.matches(event("ip", "8.8.8.8"))).isFalse();
        assertThat(r.matches(event("ip", "2001:db8::1"))).isFalse();
        assertThat(r.matches(event("ip", "localhost"))).isFalse();
    }

    @Test
    void existsAndNull() {
        CompiledRule exists = sel("    token.fingerprint|exists: true\n");
        assertThat(exists.matches(event("token.fingerprint", "abc"))).isTrue();
        assertThat(exists.matches(event("token.fingerprint", null))).isTrue();
        assertThat(exists.matches(event("other", 1))).isFalse();
        CompiledRule absent = sel("    token.fingerprint|exists: false\n");
        assertThat(absent.matches(event("other", 1))).isTrue();
        CompiledRule isNull = sel("    user.name: null\n");
        assertThat(isNull.matches(event("user.name", null))).isTrue();
        assertThat(isNull.matches(event("other", "x"))).isTrue();
        assertThat(isNull.matches(event("user.name", "alice"))).isFalse();
        CompiledRule empty = sel("    user.name: ''\n");
        assertThat(empty.matches(event("user.name", ""))).isTrue();
        assertThat(empty.matches(event("other", ""))).isFalse();
    }

    @Test
    void numericComparisons() {
        assertThat(sel("    n|gt: 10\n").matches(event("n", 11))).isTrue();
        assertThat(sel("    n|gt: 10\n").matches(event("n", 10))).isFalse();
        assertThat(sel("    n|gte: 10\n").matches(event("n", "10"))).isTrue();
        assertThat(sel("    n|lt: 1.5\n").matches(event("n", 1.25))).isTrue();
        assertThat(sel("    n|lte: 3\n").matches(event("n", 4L))).isFalse();
        assertThat(sel("    n|gt: 10\n").matches(event("n", "not a number"))).isFalse();
    }

    @Test
    void aBoundWithAHugeExponentIsComparedAndDescribedAsWritten() {
        CompiledRule r = sel("    n|lt: '1e999999999'\n");
        RuleMatch m = r.evaluate(r.event(event("n", 450))).orElseThrow();
        assertThat(m.hits()).singleElement().satisfies(h -> assertThat(h.ruleValue()).isEqualTo("lt 1E+999999999"));
    }

    @Test
    void numbersAndBooleansEqualTheirText() {
        assertThat(sel("    id: 4624\n").matches(event("id", 4624))).isTrue();
        assertThat(sel("    id: 4624\n").matches(event("id", "4624"))).isTrue();
        assertThat(sel("    id: 4624\n").matches(event("id", 4624.0))).isTrue();
        assertThat(sel("    flag: true\n").matches(event("flag", true))).isTrue();
        assertThat(sel("    flag: true\n").matches(event("flag", "TRUE"))).isTrue();
        assertThat(sel("    flag: true\n").matches(event("flag", false))).isFalse();
    }

    @Test
    void fieldrefComparesTwoFieldsOfTheEvent() {
        CompiledRule eq = sel("    user.name|fieldref: token.claims.sub\n");
        assertThat(eq.matches(event("user.name", "Alice", "token.claims.sub", "alice"))).isTrue();
        assertThat(eq.matches(event("user.name", "alice", "token.claims.sub", "bob"))).isFalse();
        CompiledRule contains = sel("    url.full|fieldref|contains: server.name\n");
        assertThat(contains.matches(event("url.full", "https://files.example/mcp", "server.name", "files"))).isTrue();
    }

    @Test
    void windashCoversDashVariants() {
        CompiledRule r = sel("    process.command_line|windash|contains: ' -enc '\n");
        assertThat(r.matches(event("process.command_line", "powershell /enc AAAA"))).isTrue();
        assertThat(r.matches(event("process.command_line", "powershell \u2013enc AAAA"))).isTrue();
        assertThat(r.matches(event("process.command_line", "powershell enc AAAA"))).isFalse();
    }

    @Test
    void neqMatchesPresentFieldsWithOtherValues() {
        CompiledRule r = sel("    mcp.direction|neq: client_to_server\n");
        assertThat(r.matches(event("mcp.direction", "server_to_client"))).isTrue();
        assertThat(r.matches(event("mcp.direction", "client_to_server"))).isFalse();
        assertThat(r.matches(event("other", "x"))).isFalse();
    }

    @Test
    void keywordsSearchEveryStringOfTheEvent() {
        CompiledRule r = compile("  keywords:\n    - 'developer mode'\n    - jailbreak\n  condition: keywords\n");
        assertThat(r.matches(Map.of("a", Map.of("b", List.of("x", "enable Developer Mode now"))))).isTrue();
        assertThat(r.matches(event("a", "nothing"))).isFalse();
        CompiledRule all = compile("  keywords:\n    '|all':\n      - curl\n      - bash\n  condition: keywords\n");
        assertThat(all.matches(event("a", "curl x", "b", "bash y"))).isTrue();
        assertThat(all.matches(event("a", "curl x"))).isFalse();
    }

    @Test
    void objectValuesAreMatchedAsJsonText() {
        CompiledRule r = sel("    mcp.tool.arguments|contains: '\"path\":\"/etc/shadow\"'\n");
        assertThat(r.matches(Map.of("mcp", Map.of("tool", Map.of("arguments", Map.of("path", "/etc/shadow")))))).isTrue();
    }

    @Test
    void untrustedTextIsAlsoMatchedNormalized() {
        CompiledRule r = sel("    mcp.content.text|contains: 'ignore previous instructions'\n");
        assertThat(r.matches(event("mcp.content.text", "ig\u200Bnore previous instructions"))).isTrue();
        assertThat(r.matches(event("mcp.content.text", "ｉｇｎｏｒｅ previous instructions"))).isTrue();
        // Outside untrusted text fields nothing is normalized.
        CompiledRule other = sel("    note|contains: 'ignore previous'\n");
        assertThat(other.matches(event("note", "ig\u200Bnore previous"))).isFalse();
    }

    @Test
    void evaluateExplainsTheMatchWithAnExcerpt() {
        CompiledRule r = compile("  sel:\n    mcp.content.text|contains: 'ignore all'\n  filter:\n    user.name: test\n"
                + "  condition: sel and not filter\n");
        RuleMatch m = r.evaluate(r.event(event("mcp.content.text", "Hello. Ignore all prior rules.", "user.name", "bob"))).orElseThrow();
        assertThat(m.hits()).singleElement().satisfies(h -> {
            assertThat(h.identifier()).isEqualTo("sel");
            assertThat(h.field()).isEqualTo("mcp.content.text");
            assertThat(h.excerpt()).contains("Ignore all prior rules");
        });
    }

    @Test
    void conditionListIsOr() {
        CompiledRule r = compile("  a:\n    f: 1\n  b:\n    g: 2\n  condition:\n    - a\n    - b\n");
        assertThat(r.matches(event("g", 2))).isTrue();
        assertThat(r.matches(event("f", 3))).isFalse();
    }
}

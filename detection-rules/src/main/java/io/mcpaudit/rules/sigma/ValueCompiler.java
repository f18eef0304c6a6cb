package io.mcpaudit.rules.sigma;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.mcpaudit.rules.event.FieldPath;
import io.mcpaudit.rules.net.CidrBlock;
import io.mcpaudit.rules.sigma.match.AnyOfMatcher;
import io.mcpaudit.rules.sigma.match.CidrMatcher;
import io.mcpaudit.rules.sigma.match.EqualsMatcher;
import io.mcpaudit.rules.sigma.match.FieldMatcher;
import io.mcpaudit.rules.sigma.match.FieldRefMatcher;
import io.mcpaudit.rules.sigma.match.LiteralIndex;
import io.mcpaudit.rules.sigma.match.LiteralSetMatcher;
import io.mcpaudit.rules.sigma.match.NumericMatcher;
import io.mcpaudit.rules.sigma.match.RegexMatcher;
import io.mcpaudit.rules.sigma.match.StringMatcher;
import io.mcpaudit.rules.sigma.match.ValueMatcher;
import io.mcpaudit.rules.yaml.YamlNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Compiles one {@code field|modifiers: values} entry into a {@link FieldMatcher}, checking that the modifiers fit together. */
final class ValueCompiler {
    private static final Set<Modifier> ENCODINGS = Set.of(Modifier.BASE64, Modifier.BASE64OFFSET);
    /** windash: the characters Windows accepts where a flag's dash is expected. */
    private static final char[] DASHES = {'-', '/', '\u2013', '\u2014', '\u2015'};
    private static final int MAX_WINDASH_VARIANTS = 625;

    private ValueCompiler() {
    }

    /**
     * Compiles one field entry; its regex literals join {@code index}, shared by every rule
     * compiled together so that each text is scanned for all of them once.
     */
    static FieldMatcher compile(FieldSpec spec, LiteralIndex index) throws InvalidRuleException {
        String where = spec.isKeyword() ? "keywords" : "'" + spec.field() + "'";
        checkModifiers(spec, where);
        FieldPath path = spec.isKeyword() ? null : FieldPath.of(spec.field());
        List<YamlNode.Scalar> values = spec.values();
        if (spec.has(Modifier.EXISTS)) {
            return FieldMatcher.exists(path, (Boolean) values.get(0).value());
        }
        if (values.size() == 1 && values.get(0).isNull()) {
            return FieldMatcher.isNull(path);
        }
        List<ValueMatcher> matchers = new ArrayList<>();
        for (YamlNode.Scalar v : values) {
            matchers.add(valueMatcher(spec, v, where, index));
        }
        boolean all = spec.has(Modifier.ALL);
        if (!all && !spec.has(Modifier.NEQ)) {
            matchers = mergeLiterals(matchers, index);
        }
        if (spec.has(Modifier.NEQ)) {
            return FieldMatcher.notEqual(path, matchers);
        }
        return spec.isKeyword() ? FieldMatcher.keywords(matchers, all) : FieldMatcher.values(path, matchers, all);
    }

    private static void checkModifiers(FieldSpec spec, String where) throws InvalidRuleException {
        List<Modifier> mods = spec.modifiers();
        int line = spec.line();
        long positions = mods.stream().filter(Modifier::isPosition).count();
        if (positions > 1) {
            throw new InvalidRuleException(line, where + ": use only one of contains, startswith, endswith");
        }
        if (mods.stream().filter(Modifier::isNumeric).count() > 1) {
            throw new InvalidRuleException(line, where + ": use only one of lt, lte, gt, gte");
        }
        if (mods.stream().anyMatch(Modifier::isRegexFlag) && !mods.contains(Modifier.RE)) {
            throw new InvalidRuleException(line, where + ": the i, m and s modifiers only apply after 're'");
        }
        if (mods.contains(Modifier.RE)) {
            for (Modifier m : mods) {
                if (m != Modifier.RE && !m.isRegexFlag() && m != Modifier.ALL && m != Modifier.NEQ && m != Modifier.CASED) {
                    throw new InvalidRuleException(line, where + ": 're' cannot be combined with '" + m.token()
                            + "' (a regular expression already says where and how to match)");
                }
            }
        }
        for (int i = 0; i < mods.size(); i++) {
            if (mods.get(i).isUtf16() && mods.subList(i + 1, mods.size()).stream().noneMatch(ENCODINGS::contains)) {
                throw new InvalidRuleException(line, where + ": '" + mods.get(i).token() + "' must be followed by base64 or base64offset");
            }
        }
        if (mods.contains(Modifier.BASE64) && mods.contains(Modifier.BASE64OFFSET)) {
            throw new InvalidRuleException(line, where + ": use base64 or base64offset, not both");
        }
        if (mods.contains(Modifier.BASE64OFFSET) && (mods.contains(Modifier.STARTSWITH) || mods.contains(Modifier.ENDSWITH))) {
            throw new InvalidRuleException(line, where + ": base64offset finds a value inside a blob; combine it with contains only");
        }
        boolean typed = mods.contains(Modifier.CIDR) || mods.stream().anyMatch(Modifier::isNumeric) || mods.contains(Modifier.EXISTS);
        if (typed) {
            for (Modifier m : mods) {
                if (m != Modifier.CIDR && !m.isNumeric() && m != Modifier.EXISTS && m != Modifier.ALL && m != Modifier.NEQ) {
                    throw new InvalidRuleException(line, where + ": '" + m.token() + "' cannot be combined with cidr, exists or a numeric comparison");
                }
            }
            if (mods.contains(Modifier.EXISTS) && mods.size() > 1) {
                throw new InvalidRuleException(line, where + ": 'exists' stands alone");
            }
        }
        if (mods.contains(Modifier.FIELDREF) && mods.stream().anyMatch(m -> ENCODINGS.contains(m) || m.isUtf16() || m == Modifier.WINDASH)) {
            throw new InvalidRuleException(line, where + ": fieldref compares with another field's value; it cannot be encoded");
        }
        if (mods.contains(Modifier.EXISTS)) {
            if (spec.values().size() != 1 || !(spec.values().get(0).value() instanceof Boolean)) {
                throw new InvalidRuleException(line, where + ": 'exists' takes true or false");
            }
            if (spec.isKeyword()) {
                throw new InvalidRuleException(line, "'exists' needs a field name");
            }
        }
        if (mods.contains(Modifier.ALL) && spec.values().size() < 2) {
            throw new InvalidRuleException(line, where + ": 'all' needs at least two values (with one value it changes nothing)");
        }
        if (spec.values().size() == 1 && spec.values().get(0).isNull() && !mods.isEmpty() && !mods.equals(List.of(Modifier.CASED))) {
            throw new InvalidRuleException(line, where + ": null cannot be combined with modifiers");
        }
        if (spec.isKeyword() && mods.contains(Modifier.FIELDREF)) {
            throw new InvalidRuleException(line, "keywords cannot use fieldref");
        }
    }

    private static ValueMatcher valueMatcher(FieldSpec spec, YamlNode.Scalar v, String where, LiteralIndex index)
            throws InvalidRuleException {
        List<Modifier> mods = spec.modifiers();
        int line = v.line();
        Object raw = v.value();
        if (raw == null) {
            throw new InvalidRuleException(line, where + ": null cannot be part of a list of values; put 'field: null' in its own selection");
        }
        String text = String.valueOf(raw);
        Modifier numeric = mods.stream().filter(Modifier::isNumeric).findFirst().orElse(null);
        if (numeric != null) {
            BigDecimal bound = raw instanceof Number ? new BigDecimal(raw.toString()) : NumericMatcher.parse(text);
            if (bound == null) {
                throw new InvalidRuleException(line, where + ": '" + numeric.token() + "' needs a number, not '" + text + "'");
            }
            return new NumericMatcher(numeric, bound);
        }
        if (mods.contains(Modifier.CIDR)) {
            return new CidrMatcher(CidrBlock.parse(text).orElseThrow(() ->
                    new InvalidRuleException(line, where + ": '" + text + "' is not a CIDR network (e.g. 10.0.0.0/8 or fc00::/7)")));
        }
        if (mods.contains(Modifier.RE)) {
            int flags = (mods.contains(Modifier.I) ? Pattern.CASE_INSENSITIVE : 0)
                    | (mods.contains(Modifier.M) ? Pattern.MULTILINE : 0)
                    | (mods.contains(Modifier.S) ? Pattern.DOTALL : 0);
            try {
                return new RegexMatcher(Pattern.compile(text, flags), index);
            } catch (PatternSyntaxException e) {
                throw new InvalidRuleException(line, where + ": regular expression '" + text + "' is not valid RE2 syntax ("
                        + e.getDescription() + "); look-around and back-references are not available, by design (linear-time matching)");
            }
        }
        boolean cased = mods.contains(Modifier.CASED);
        Modifier position = mods.stream().filter(Modifier::isPosition).findFirst().orElse(null);
        if (mods.contains(Modifier.FIELDREF)) {
            return new FieldRefMatcher(FieldPath.of(text), position, cased);
        }
        if (!(raw instanceof String) && position == null && !mods.contains(Modifier.WINDASH)
                && mods.stream().noneMatch(ENCODINGS::contains)) {
            return new EqualsMatcher(raw);
        }
        if (spec.isKeyword() && position == null) {
            position = Modifier.CONTAINS;
        }
        return stringMatcher(text, mods, position, cased, where, line);
    }

    private static ValueMatcher stringMatcher(String text, List<Modifier> mods, Modifier position, boolean cased,
                                              String where, int line) throws InvalidRuleException {
        List<String> variants = mods.contains(Modifier.WINDASH) ? windash(text, where, line) : List.of(text);
        List<ValueMatcher> forms = new ArrayList<>();
        for (String variant : variants) {
            if (mods.contains(Modifier.BASE64) || mods.contains(Modifier.BASE64OFFSET)) {
                if (SigmaString.parse(variant).hasWildcards()) {
                    throw new InvalidRuleException(line, where + ": wildcards cannot be base64-encoded; escape them (\\*, \\?) or drop the encoding");
                }
                byte[] bytes = encode(SigmaString.parse(variant).literalText(), mods);
                // Base64 text is case-significant: folding it would match other bytes.
                if (mods.contains(Modifier.BASE64)) {
                    forms.add(StringMatcher.of(positioned(SigmaString.literal(Base64.getEncoder().encodeToString(bytes)), position), true, text));
                } else {
                    for (String offset : base64Offsets(bytes)) {
                        forms.add(StringMatcher.of(positioned(SigmaString.literal(offset), Modifier.CONTAINS), true, text));
                    }
                }
            } else {
                forms.add(StringMatcher.of(positioned(SigmaString.parse(variant), position), cased, text));
            }
        }
        return forms.size() == 1 ? forms.get(0) : new AnyOfMatcher(forms, text);
    }

    private static SigmaString positioned(SigmaString s, Modifier position) {
        if (position == Modifier.CONTAINS) {
            return s.withLeadingAny().withTrailingAny();
        }
        if (position == Modifier.STARTSWITH) {
            return s.withTrailingAny();
        }
        if (position == Modifier.ENDSWITH) {
            return s.withLeadingAny();
        }
        return s;
    }

    private static byte[] encode(String text, List<Modifier> mods) {
        if (mods.contains(Modifier.UTF16LE) || mods.contains(Modifier.WIDE)) {
            return text.getBytes(StandardCharsets.UTF_16LE);
        }
        if (mods.contains(Modifier.UTF16BE)) {
            return text.getBytes(StandardCharsets.UTF_16BE);
        }
        if (mods.contains(Modifier.UTF16)) {
            byte[] le = text.getBytes(StandardCharsets.UTF_16LE);
            byte[] out = new byte[le.length + 2];
            out[0] = (byte) 0xFF;
            out[1] = (byte) 0xFE;
            System.arraycopy(le, 0, out, 2, le.length);
            return out;
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The three forms a value takes inside a longer base64 text, depending on its offset modulo
     * 3: encode with 0–2 bytes of padding in front, then drop the characters that depend on the
     * unknown neighbouring bytes (the same construction as the Sigma reference implementation).
     */
    static List<String> base64Offsets(byte[] value) {
        int[] startOffsets = {0, 2, 3};
        int[] endOffsets = {0, -3, -2};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] shifted = new byte[value.length + i];
            for (int k = 0; k < i; k++) {
                shifted[k] = ' ';
            }
            System.arraycopy(value, 0, shifted, i, value.length);
            String enc = Base64.getEncoder().encodeToString(shifted);
            int end = enc.length() + endOffsets[(value.length + i) % 3];
            if (end > startOffsets[i]) {
                out.add(enc.substring(startOffsets[i], end));
            }
        }
        return out;
    }

    private static List<String> windash(String text, String where, int line) throws InvalidRuleException {
        List<String> out = new ArrayList<>();
        out.add("");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean dash = new String(DASHES).indexOf(c) >= 0;
            List<String> next = new ArrayList<>();
            for (String prefix : out) {
                if (dash) {
                    for (char d : DASHES) {
                        next.add(prefix + d);
                    }
                } else {
                    next.add(prefix + c);
                }
            }
            if (next.size() > MAX_WINDASH_VARIANTS) {
                throw new InvalidRuleException(line, where + ": windash on '" + text + "' gives more than " + MAX_WINDASH_VARIANTS
                        + " variants; split the value");
            }
            out = next;
        }
        return out;
    }

    /** Folds many OR-linked substring values into one literal-set pass. */
    private static List<ValueMatcher> mergeLiterals(List<ValueMatcher> matchers, LiteralIndex index) {
        List<String> folded = new ArrayList<>();
        List<String> cased = new ArrayList<>();
        List<ValueMatcher> rest = new ArrayList<>();
        for (ValueMatcher m : matchers) {
            if (m instanceof StringMatcher s && s.isContainsLiteral()) {
                (s.cased() ? cased : folded).add(s.literal());
            } else {
                rest.add(m);
            }
        }
        if (folded.size() < LiteralSetMatcher.MIN_LITERALS && cased.size() < LiteralSetMatcher.MIN_LITERALS) {
            return matchers;
        }
        List<ValueMatcher> out = new ArrayList<>();
        addGroup(out, folded, false, matchers, index);
        addGroup(out, cased, true, matchers, index);
        out.addAll(rest);
        return out;
    }

    private static void addGroup(List<ValueMatcher> out, List<String> literals, boolean cased, List<ValueMatcher> original,
            LiteralIndex index) {
        if (literals.size() >= LiteralSetMatcher.MIN_LITERALS) {
            out.add(new LiteralSetMatcher(literals, cased, index));
        } else {
            for (ValueMatcher m : original) {
                if (m instanceof StringMatcher s && s.isContainsLiteral() && s.cased() == cased) {
                    out.add(m);
                }
            }
        }
    }
}

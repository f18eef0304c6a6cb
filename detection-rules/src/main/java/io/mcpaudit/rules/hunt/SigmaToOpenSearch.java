package io.mcpaudit.rules.hunt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.rules.sigma.Condition;
import io.mcpaudit.rules.sigma.ConditionParser;
import io.mcpaudit.rules.sigma.Detection;
import io.mcpaudit.rules.sigma.FieldSpec;
import io.mcpaudit.rules.sigma.Modifier;
import io.mcpaudit.rules.sigma.SearchIdentifier;
import io.mcpaudit.rules.sigma.SigmaRule;
import io.mcpaudit.rules.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.util.regex.Pattern;

/**
 * Translates a stateless Sigma rule into an OpenSearch query over the events index, for hunting
 * through history ({@code mcp-audit hunt}). Rules and documents share field names, so the
 * translation is direct: keyword fields get case-insensitive wildcard/term queries, analyzed text
 * fields get phrase queries, {@code re} becomes a Lucene {@code regexp}, {@code cidr} a term on an
 * IP field. What has no faithful form (fields the engine derives at match time, base64 variants,
 * field references) is reported instead of silently dropped.
 */
public final class SigmaToOpenSearch {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Fields computed by the engine at match time: they are not in the index. */
  private static final Pattern DERIVED = Pattern.compile(
      "mcp\\.(content|tool|server)\\.hidden|mcp\\.tool\\.arguments_hidden|mcp\\.target\\..*");

  private final Map<String, String> fieldTypes;

  /** @param fieldTypes dotted field name → OpenSearch type ({@code keyword}, {@code text}, {@code ip}, {@code long} …) */
  public SigmaToOpenSearch(Map<String, String> fieldTypes) {
    this.fieldTypes = Map.copyOf(fieldTypes);
  }

  public OpenSearchQuery translate(SigmaRule rule) {
    List<String> unsupported = new ArrayList<>();
    List<String> approximations = new ArrayList<>();
    if (rule.detection().isEmpty()) {
      return new OpenSearchQuery(null, List.of("the rule has no detection (it names a stateful detector)"), List.of());
    }
    if (rule.extension().isStateful()) {
      unsupported.add("the rule is stateful (first_seen, absence, ordering or a detector): only its matching part"
          + " can be searched");
    }
    Detection detection = rule.detection().get();
    List<ObjectNode> conditions = new ArrayList<>();
    for (String text : detection.conditions()) {
      try {
        Condition condition = ConditionParser.bind(ConditionParser.parse(text), detection.identifiers().keySet());
        conditions.add(condition(condition, detection, unsupported, approximations));
      } catch (ConditionParser.ConditionException e) {
        unsupported.add("condition '" + text + "': " + e.getMessage());
      }
    }
    ObjectNode query = conditions.size() == 1 ? conditions.get(0) : should(conditions);
    return new OpenSearchQuery(unsupported.isEmpty() ? query : null, unsupported, approximations);
  }

  private ObjectNode condition(Condition c, Detection detection, List<String> unsupported, List<String> approx) {
    if (c instanceof Condition.Ref ref) {
      return identifier(detection.identifiers().get(ref.name()), unsupported, approx);
    }
    if (c instanceof Condition.And and) {
      List<ObjectNode> terms = new ArrayList<>();
      and.terms().forEach(t -> terms.add(condition(t, detection, unsupported, approx)));
      return bool("must", terms);
    }
    if (c instanceof Condition.Or or) {
      List<ObjectNode> terms = new ArrayList<>();
      or.terms().forEach(t -> terms.add(condition(t, detection, unsupported, approx)));
      return should(terms);
    }
    if (c instanceof Condition.Not not) {
      return bool("must_not", List.of(condition(not.term(), detection, unsupported, approx)));
    }
    Condition.Of of = (Condition.Of) c;
    List<ObjectNode> terms = new ArrayList<>();
    for (String name : of.names()) {
      terms.add(identifier(detection.identifiers().get(name), unsupported, approx));
    }
    return of.all() ? bool("must", terms) : should(terms);
  }

  /** A search identifier: alternatives (list of maps) are ORed, the fields of one map ANDed. */
  private ObjectNode identifier(SearchIdentifier identifier, List<String> unsupported, List<String> approx) {
    List<ObjectNode> alternatives = new ArrayList<>();
    for (List<FieldSpec> fields : identifier.alternatives()) {
      List<ObjectNode> all = new ArrayList<>();
      for (FieldSpec field : fields) {
        all.add(field(field, unsupported, approx));
      }
      alternatives.add(all.size() == 1 ? all.get(0) : bool("must", all));
    }
    return alternatives.size() == 1 ? alternatives.get(0) : should(alternatives);
  }

  private ObjectNode field(FieldSpec spec, List<String> unsupported, List<String> approx) {
    if (spec.isKeyword()) {
      List<ObjectNode> phrases = new ArrayList<>();
      for (YamlNode.Scalar value : spec.values()) {
        ObjectNode multi = JSON.createObjectNode();
        multi.putObject("multi_match").put("query", String.valueOf(value.value())).put("type", "phrase")
            .putArray("fields").add("mcp.content.text").add("mcp.tool.arguments").add("mcp.tool.description");
        phrases.add(multi);
      }
      approx.add("keywords are searched as phrases in content, arguments and tool descriptions");
      return spec.has(Modifier.ALL) ? bool("must", phrases) : should(phrases);
    }
    String field = spec.field();
    if (DERIVED.matcher(field).matches()) {
      unsupported.add(field + " is derived by the engine at match time and is not indexed");
      return JSON.createObjectNode();
    }
    for (Modifier m : List.of(Modifier.BASE64, Modifier.BASE64OFFSET, Modifier.FIELDREF, Modifier.UTF16,
        Modifier.UTF16LE, Modifier.UTF16BE, Modifier.WIDE, Modifier.WINDASH)) {
      if (spec.has(m)) {
        unsupported.add(field + "|" + m.token() + " has no OpenSearch query form");
        return JSON.createObjectNode();
      }
    }
    String type = fieldTypes.getOrDefault(field, "keyword");
    if (spec.has(Modifier.EXISTS)) {
      boolean wanted = spec.values().isEmpty() || !"false".equals(String.valueOf(spec.values().get(0).value()));
      ObjectNode exists = JSON.createObjectNode();
      exists.putObject("exists").put("field", field);
      return wanted ? exists : bool("must_not", List.of(exists));
    }
    List<ObjectNode> values = new ArrayList<>();
    for (YamlNode.Scalar value : spec.values()) {
      values.add(value(field, type, spec, value, approx, unsupported));
    }
    ObjectNode combined = spec.has(Modifier.ALL) ? bool("must", values) : should(values);
    return spec.has(Modifier.NEQ) ? bool("must_not", List.of(combined)) : combined;
  }

  private ObjectNode value(String field, String type, FieldSpec spec, YamlNode.Scalar scalar, List<String> approx,
                           List<String> unsupported) {
    ObjectNode q = JSON.createObjectNode();
    if (scalar.isNull()) {
      ObjectNode exists = JSON.createObjectNode();
      exists.putObject("exists").put("field", field);
      return bool("must_not", List.of(exists));
    }
    String value = String.valueOf(scalar.value());
    if (spec.has(Modifier.LT) || spec.has(Modifier.LTE) || spec.has(Modifier.GT) || spec.has(Modifier.GTE)) {
      String op = spec.has(Modifier.LT) ? "lt" : spec.has(Modifier.LTE) ? "lte" : spec.has(Modifier.GT) ? "gt" : "gte";
      q.putObject("range").putObject(field).put(op, value);
      return q;
    }
    if (spec.has(Modifier.CIDR)) {
      q.putObject("term").put(field, value);
      return q;
    }
    if (spec.has(Modifier.RE)) {
      if (type.equals("text")) {
        unsupported.add(field + "|re: a regular expression over analyzed text (split into words) cannot be searched"
            + " faithfully in OpenSearch");
        return q;
      }
      approx.add(field + "|re runs as a Lucene regexp (whole value, no \\b or look-around)");
      ObjectNode regexp = q.putObject("regexp").putObject(field);
      regexp.put("value", luceneRegex(value));
      if (spec.has(Modifier.I) || !spec.has(Modifier.CASED)) {
        regexp.put("case_insensitive", true);
      }
      return q;
    }
    String pattern = spec.has(Modifier.CONTAINS) ? "*" + value + "*"
        : spec.has(Modifier.STARTSWITH) ? value + "*"
        : spec.has(Modifier.ENDSWITH) ? "*" + value : value;
    if (type.equals("text")) {
      approx.add(field + " is analyzed text: matched as a phrase");
      q.putObject("match_phrase").put(field, value.replace("*", " ").replace("?", " ").trim());
      return q;
    }
    if (pattern.contains("*") || pattern.contains("?")) {
      ObjectNode wildcard = q.putObject("wildcard").putObject(field);
      wildcard.put("value", pattern);
      wildcard.put("case_insensitive", !spec.has(Modifier.CASED));
      return q;
    }
    ObjectNode term = q.putObject("term").putObject(field);
    term.put("value", value);
    term.put("case_insensitive", !spec.has(Modifier.CASED));
    return q;
  }

  /** RE2 and Lucene regexps share the common core; Lucene matches the whole term, so unanchor with .* */
  private static String luceneRegex(String re2) {
    String body = re2.replaceFirst("^\\(\\?[imsU]+\\)", "").replace("\\b", "");
    boolean anchoredStart = body.startsWith("^");
    boolean anchoredEnd = body.endsWith("$") && !body.endsWith("\\$");
    body = body.replaceFirst("^\\^", "").replaceFirst("(?<!\\\\)\\$$", "");
    return (anchoredStart ? "" : ".*") + body + (anchoredEnd ? "" : ".*");
  }

  private static ObjectNode bool(String occur, List<ObjectNode> clauses) {
    ObjectNode q = JSON.createObjectNode();
    ArrayNode list = q.putObject("bool").putArray(occur);
    clauses.forEach(list::add);
    return q;
  }

  private static ObjectNode should(List<ObjectNode> clauses) {
    if (clauses.size() == 1) {
      return clauses.get(0);
    }
    ObjectNode q = bool("should", clauses);
    ((ObjectNode) q.get("bool")).put("minimum_should_match", 1);
    return q;
  }

  /** The field types of an index template's mappings, as dotted names. */
  public static Map<String, String> fieldTypes(com.fasterxml.jackson.databind.JsonNode mappings) {
    Map<String, String> types = new java.util.HashMap<>();
    walk(mappings.path("properties"), "", types);
    return types;
  }

  private static void walk(com.fasterxml.jackson.databind.JsonNode properties, String prefix, Map<String, String> types) {
    properties.fields().forEachRemaining(entry -> {
      String name = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
      com.fasterxml.jackson.databind.JsonNode node = entry.getValue();
      if (node.has("type") && !node.path("type").asText().equals("object")
          && !node.path("type").asText().equals("nested")) {
        types.put(name, node.path("type").asText());
      }
      if (node.has("properties")) {
        walk(node.path("properties"), name, types);
      }
    });
  }

}

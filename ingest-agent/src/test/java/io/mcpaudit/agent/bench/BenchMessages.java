package io.mcpaudit.agent.bench;

/** The JSON-RPC traffic of the benchmark: tools/call requests and their results, typical in size. */
final class BenchMessages {
  private BenchMessages() {}

  static String call(long id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"read_file\","
        + "\"arguments\":{\"path\":\"/srv/docs/handbook/chapter-" + (id % 97) + ".md\",\"encoding\":\"utf-8\"}}}";
  }

  static String result(String id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"# Chapter\\n"
        + "Plain text of a small file, about one hundred and twenty bytes long, as a typical tool answer.\"}],"
        + "\"isError\":false}}";
  }

  static String initialize() {
    return "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";
  }

  /** The id of a request line (its JSON text), or null for a notification. Just enough parsing for the benchmark. */
  static String idOf(String line) {
    int at = line.indexOf("\"id\":");
    if (at < 0) {
      return null;
    }
    int start = at + 5;
    int end = start;
    while (end < line.length() && line.charAt(end) != ',' && line.charAt(end) != '}') {
      end++;
    }
    return line.substring(start, end);
  }
}

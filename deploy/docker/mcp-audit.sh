#!/usr/bin/env bash
# The `mcp-audit` command inside the image: the CLI's runnable jar on the image's Java runtime.
#
# The long-running commands (`pipeline`, `route run`) have no health endpoint of their own, so the
# container learns their state from the lines they print on stderr; every line still reaches the
# container log unchanged. Health checks and probes test for the file $MCP_AUDIT_READY_FILE:
#
#   created by  "mcp-audit pipeline: pipeline running"   the pipeline reached RUNNING (the line `mcp-audit up` waits for)
#               "routing … ; Ctrl-C stops"               the router loaded its configuration and started consuming
#   removed by  "… streams client is going to shut down now"   Kafka Streams gave up (a fatal error)
#               "mcp-audit pipeline: stopping"                 shutting down
set -euo pipefail

jar=/opt/mcp-audit/mcp-audit-cli.jar
ready="${MCP_AUDIT_READY_FILE:-/tmp/mcp-audit.ready}"
# MCP_AUDIT_JAVA_OPTS holds several options: split on spaces on purpose.
# shellcheck disable=SC2206
java_cmd=(java ${MCP_AUDIT_JAVA_OPTS:-} -jar "$jar")

follow_stderr() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    printf '%s\n' "$line" >&2
    case "$line" in
      "mcp-audit pipeline: pipeline running"* | "routing "*"; Ctrl-C stops") : >"$ready" ;;
      *"streams client is going to shut down now"* | "mcp-audit pipeline: stopping"*) rm -f "$ready" ;;
    esac
  done
}

case "${1:-}" in
  pipeline | route)
    rm -f "$ready"
    # exec keeps Java as the container's main process, so SIGTERM reaches its shutdown hook.
    exec "${java_cmd[@]}" "$@" 2> >(follow_stderr)
    ;;
  *)
    exec "${java_cmd[@]}" "$@"
    ;;
esac

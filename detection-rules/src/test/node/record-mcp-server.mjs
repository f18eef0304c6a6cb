// Records what a real MCP server shows a model, for the benign part of the detection-quality
// corpus (docs/detection-quality.md): talks to one stdio server (newline-delimited JSON-RPC),
// records initialize (instructions), tools/list, prompts/list, resources/list and the results of
// the given calls, and writes them as one JSON file.
//
//   node record-mcp-server.mjs NAME OUT.json 'CALLS_JSON' COMMAND [ARGS...]
//   CALLS_JSON: [{"name":"read_text_file","arguments":{"path":"/docs/a.md"}},
//                {"method":"resources/read","params":{"uri":"demo://..."}}]
//   SERVER_ENV='{"KEY":"dummy"}' adds environment variables (the rest is PATH and HOME only,
//   so results that echo the environment stay clean). DOCS_DIR is the server's working directory.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";

const [,, name, outFile, callsJson, ...cmd] = process.argv;
const calls = JSON.parse(callsJson || "[]");
const env = { PATH: process.env.PATH, HOME: process.env.RECORD_HOME || "/tmp/mcp-home", ...JSON.parse(process.env.SERVER_ENV || "{}") };
const child = spawn(cmd[0], cmd.slice(1), { env, stdio: ["pipe", "pipe", "pipe"], cwd: process.env.DOCS_DIR || process.cwd() });
let buf = "", id = 0;
const pending = new Map();
child.stdout.on("data", (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf("\n")) >= 0) {
    const line = buf.slice(0, i).trim(); buf = buf.slice(i + 1);
    if (!line) continue;
    let m; try { m = JSON.parse(line); } catch { continue; }
    if (m.id !== undefined && pending.has(m.id) && (m.result !== undefined || m.error !== undefined)) { pending.get(m.id)(m); pending.delete(m.id); }
    else if (m.method && m.id !== undefined) { // server request (roots/list, sampling...)
      const result = m.method === "roots/list" ? { roots: [{ uri: "file://" + (process.env.DOCS_DIR || process.cwd()), name: "docs" }] } : {};
      child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: m.id, result }) + "\n");
    }
  }
});
let stderr = ""; child.stderr.on("data", (d) => { stderr += d; });
function rpc(method, params, timeout = 20000) {
  const myId = ++id;
  child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: myId, method, params }) + "\n");
  return new Promise((res) => { pending.set(myId, res); setTimeout(() => { if (pending.has(myId)) { pending.delete(myId); res({ error: { message: "timeout" } }); } }, timeout); });
}
const out = { server: name, command: cmd, tools: [], prompts: [], resources: [], calls: [] };
try {
  const init = await rpc("initialize", { protocolVersion: "2025-06-18", capabilities: { roots: { listChanged: false } }, clientInfo: { name: "mcp-audit-corpus-recorder", version: "1" } }, 60000);
  out.initialize = init.result || init.error;
  child.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n");
  const tl = await rpc("tools/list", {}); out.tools = tl.result?.tools || [];
  const pl = await rpc("prompts/list", {}); out.prompts = pl.result?.prompts || [];
  const rl = await rpc("resources/list", {}); out.resources = rl.result?.resources || [];
  for (const c of calls) {
    const r = c.method ? await rpc(c.method, c.params, 30000) : await rpc("tools/call", { name: c.name, arguments: c.arguments || {} }, 30000);
    out.calls.push({ request: c, response: r.result || r.error });
  }
} finally {
  out.stderr = stderr.slice(0, 2000);
  writeFileSync(outFile, JSON.stringify(out, null, 1));
  child.kill();
  setTimeout(() => process.exit(0), 200);
}

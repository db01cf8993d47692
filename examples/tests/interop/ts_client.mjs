// Drives an MCP server with the official TypeScript SDK (npm @modelcontextprotocol/sdk) and
// prints what it saw. Usage: node ts_client.mjs '<spec json>' (see py_client.py for the
// spec). The SDK is loaded from $MCP_TOOLS_DIR/ts-sdk, where scripts/install-tools puts it.
import { createRequire } from "node:module";
import path from "node:path";

const spec = JSON.parse(process.argv[2]);
const require = createRequire(path.join(process.env.MCP_TOOLS_DIR, "ts-sdk", "node_modules", "x.js"));
const { Client } = require("@modelcontextprotocol/sdk/client/index.js");
const { StdioClientTransport } = require("@modelcontextprotocol/sdk/client/stdio.js");
const { StreamableHTTPClientTransport } = require("@modelcontextprotocol/sdk/client/streamableHttp.js");

let transport;
if (spec.transport === "stdio") {
  transport = new StdioClientTransport({
    command: spec.command,
    args: spec.args ?? [],
    env: { ...process.env, ...(spec.env ?? {}) },
    stderr: "ignore",
  });
} else {
  const headers = spec.token ? { Authorization: `Bearer ${spec.token}` } : {};
  transport = new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers } });
}

const client = new Client({ name: "interop-ts", version: "1.0.0" }, { capabilities: {} });
await client.connect(transport);
const out = { protocol: transport.protocolVersion ?? "", tools: [], calls: [] };
const tools = await client.listTools();
out.tools = tools.tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema, outputSchema: t.outputSchema }));
for (const [name, args] of spec.calls ?? []) {
  const result = await client.callTool({ name, arguments: args });
  out.calls.push({
    name,
    isError: Boolean(result.isError),
    text: result.content.filter((c) => c.type === "text").map((c) => c.text),
    structured: result.structuredContent ?? null,
  });
}
await client.close();
console.log(JSON.stringify(out));

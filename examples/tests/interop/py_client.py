"""Drives an MCP server with the official Python SDK (PyPI `mcp`) and prints what it saw.

Usage: py_client.py '<spec json>'. The spec names the transport (stdio: command, args, env;
http: url, optional bearer token), the negotiation mode ("auto" probes 2026-07-28 first,
"legacy" forces initialize), and the tool calls to make. Output: one JSON object on stdout.
"""

import asyncio
import json
import sys

import httpx2
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client


def content_texts(result):
    return [c.text for c in result.content if getattr(c, "type", None) == "text"]


async def main(spec):
    if spec["transport"] == "stdio":
        server = StdioServerParameters(
            command=spec["command"], args=spec.get("args", []), env=spec.get("env") or None
        )
    else:
        headers = {}
        if spec.get("token"):
            headers["Authorization"] = "Bearer " + spec["token"]
        http = httpx2.AsyncClient(headers=headers, timeout=60)
        server = streamable_http_client(spec["url"], http_client=http)
    out = {"tools": [], "calls": []}
    async with Client(server, mode=spec.get("mode", "auto"), cache=None) as client:
        session = client.session
        out["protocol"] = str(
            getattr(session, "protocol_version", None)
            or getattr(getattr(session, "negotiated", None), "protocol_version", None)
            or ""
        )
        tools = await client.list_tools()
        out["tools"] = [
            {"name": t.name, "inputSchema": t.input_schema, "outputSchema": t.output_schema}
            for t in tools.tools
        ]
        for name, arguments in spec.get("calls", []):
            result = await client.call_tool(name, arguments)
            out["calls"].append(
                {
                    "name": name,
                    "isError": bool(result.is_error),
                    "text": content_texts(result),
                    "structured": result.structured_content,
                }
            )
    print(json.dumps(out))


asyncio.run(main(json.loads(sys.argv[1])))

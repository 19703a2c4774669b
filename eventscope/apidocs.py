"""The HTTP API's documentation page, rendered on the server from its OpenAPI description.

FastAPI's default /docs page loads Swagger UI from a CDN; eventscope's pages must work with the network cut,
so /docs is plain HTML with no script and no outside link (the machine-readable spec stays at /openapi.json).
"""

from __future__ import annotations

from html import escape
from typing import Any

_STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
h2{margin-top:2rem;border-bottom:1px solid #ccc}code{background:#f4f4f4;padding:0 .2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;
text-align:left;vertical-align:top}.m{font-weight:bold;text-transform:uppercase}"""


def _schema_type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_schema_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if "enum" in schema:
        return f"{kind} ({', '.join(map(str, schema['enum']))})"
    return kind


def openapi_html(spec: dict[str, Any]) -> str:
    """An HTML page listing every path and method of ``spec`` with its parameters."""
    info = spec.get("info", {})
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(info.get('title', 'API'))} API"
             f"</title><style>{_STYLE}</style></head><body>",
             f"<h1>{escape(info.get('title', 'API'))} {escape(str(info.get('version', '')))}</h1>",
             f"<p>{escape(info.get('description', ''))}</p>",
             "<p>Machine-readable description: <a href='/openapi.json'><code>/openapi.json</code></a>.</p>"]
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            parts.append(f"<h2><span class='m'>{escape(method)}</span> <code>{escape(path)}</code></h2>")
            text = op.get("description") or op.get("summary") or ""
            parts.append(f"<p>{escape(text)}</p>")
            params = op.get("parameters", [])
            if params:
                parts.append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th>"
                             "<th>description</th></tr>")
                for p in params:
                    parts.append(
                        f"<tr><td><code>{escape(p.get('name', ''))}</code></td><td>{escape(p.get('in', ''))}</td>"
                        f"<td>{escape(_schema_type(p.get('schema', {})))}</td>"
                        f"<td>{'yes' if p.get('required') else 'no'}</td>"
                        f"<td>{escape(p.get('description', '') or p.get('schema', {}).get('description', ''))}</td>"
                        "</tr>")
                parts.append("</table>")
            body = op.get("requestBody", {}).get("content", {})
            for mime, content in body.items():
                parts.append(f"<p>Body ({escape(mime)}): <code>{escape(_schema_type(content.get('schema', {})))}"
                             "</code></p>")
    parts.append("</body></html>")
    return "\n".join(parts)

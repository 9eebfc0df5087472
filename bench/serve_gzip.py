"""Serve a built site on loopback with gzip for text and persistent connections, as a real static host does
(GitHub Pages and every CDN keep connections open; http.server's default, HTTP/1.0, opens one per
request, which Lighthouse then charges a full handshake each). For bench/lighthouse.sh.

Usage: python bench/serve_gzip.py SITE_DIR PORT PREFIX   (PREFIX: the site_url's path, e.g. /qwen-lineage/)
"""
from __future__ import annotations

import gzip
import http.server
import mimetypes
import sys
from pathlib import Path

TEXT = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml", "application/atom+xml")


def handler(root: Path, prefix: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Gzip(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: every response below carries Content-Length

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if not path.startswith(prefix):
                self.send_error(404)
                return
            file = root / path[len(prefix):]
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                self.send_error(404)
                return
            body = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            self.send_response(200)
            self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
            self.send_header("Cache-Control", "max-age=600")
            if kind.startswith(TEXT) and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, 6)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Gzip


if __name__ == "__main__":
    site, port, prefix = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler(site, prefix)).serve_forever()

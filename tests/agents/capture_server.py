#!/usr/bin/env python3
"""A fake model API on 127.0.0.1: records every request body into DIR/request-N.json and
answers 400 (not retried), so an agent shows us the prompt it would send, offline.
Usage: capture_server.py DIR  (prints the port it listens on, then serves until killed)."""
import http.server
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
count = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        global count
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        count += 1
        with open(os.path.join(out, f"request-{count}.json"), "wb") as f:
            f.write(self.path.encode() + b"\n" + body)
        msg = b'{"type":"error","error":{"type":"invalid_request_error","message":"agb judge: offline capture"}}'
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(msg)))
        self.end_headers()
        self.wfile.write(msg)

    do_POST = do_GET = _answer

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()

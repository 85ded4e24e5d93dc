#!/usr/bin/env python3
"""A loopback smart-HTTP git server for agb's tests: `git http-backend` run per request.

Usage: git_http_server.py --root DIR [--port 0] [--auth USER:PASS] [--log FILE]

- Binds 127.0.0.1 only and prints `PORT <n>` on stdout once listening.
- Serves every repository under --root at http://127.0.0.1:<n>/<path>.git (clone, fetch, push).
- Passes `Git-Protocol` through (protocol v2), decodes chunked request bodies, passes
  Content-Encoding (gzip) on to http-backend, and maps the CGI `Status:` to the HTTP status.
- With --auth, every request needs that Basic credential (401 + WWW-Authenticate otherwise).
- With --log, appends one line per request: `<METHOD> <path>?<query> <status>`.

Standard library only (python3 >= 3.8); works as root; kill it to stop it.
"""

import argparse
import base64
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--auth", default=None)
    p.add_argument("--log", default=None)
    return p.parse_args()


ARGS = parse_args()
LOG_LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def do_GET(self):
        self.handle_git()

    def do_POST(self):
        self.handle_git()

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                line = self.rfile.readline().strip()
                size = int(line.split(b";")[0], 16)
                if size == 0:
                    # trailers end with an empty line
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status, headers, body):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def log_request_line(self, status):
        if ARGS.log:
            with LOG_LOCK, open(ARGS.log, "a") as f:
                f.write(f"{self.command} {self.path} {status}\n")

    def handle_git(self):
        body = self.read_body()
        user = "anonymous"
        if ARGS.auth:
            expected = "Basic " + base64.b64encode(ARGS.auth.encode()).decode()
            if self.headers.get("Authorization") != expected:
                self.log_request_line(401)
                self.send(401, [("WWW-Authenticate", 'Basic realm="agb-test"'), ("Content-Type", "text/plain")],
                          b"authentication required\n")
                return
            user = ARGS.auth.split(":", 1)[0]
        url = urlsplit(self.path)
        env = dict(os.environ)
        env.update({
            "GIT_PROJECT_ROOT": os.path.abspath(ARGS.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_USER": user,
            "REMOTE_ADDR": "127.0.0.1",
            "GIT_CONFIG_COUNT": "2",
            "GIT_CONFIG_KEY_0": "safe.directory",
            "GIT_CONFIG_VALUE_0": "*",
            "GIT_CONFIG_KEY_1": "http.receivepack",
            "GIT_CONFIG_VALUE_1": "true",
        })
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        proc = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
        out = proc.stdout
        sep = out.find(b"\r\n\r\n")
        sep_len = 4
        if sep < 0:
            sep = out.find(b"\n\n")
            sep_len = 2
        if sep < 0:
            self.log_request_line(500)
            self.send(500, [("Content-Type", "text/plain")], proc.stderr or b"http-backend failed\n")
            return
        status = 200
        headers = []
        for line in out[:sep].decode("latin-1").splitlines():
            if not line.strip():
                continue
            k, _, v = line.partition(":")
            if k.lower() == "status":
                status = int(v.strip().split()[0])
            else:
                headers.append((k.strip(), v.strip()))
        self.log_request_line(status)
        self.send(status, headers, out[sep + sep_len:])


def main():
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())

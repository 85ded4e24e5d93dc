#!/usr/bin/env python3
"""Loopback network pieces for agb's transport tests, each printing `PORT <n>` when ready:

  tls --cert C --key K --to PORT   a TLS front (certificate C) relaying every connection to the
                                   plain server on 127.0.0.1:PORT (the smart-HTTP test server)
  proxy --log FILE                 an HTTP CONNECT proxy that only tunnels to 127.0.0.1 and appends
                                   one `CONNECT host:port` line per tunnel to FILE
"""
import argparse
import socket
import ssl
import sys
import threading


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def relay(a, b):
    t = threading.Thread(target=pump, args=(b, a), daemon=True)
    t.start()
    pump(a, b)
    t.join()
    a.close()
    b.close()


def serve(handler):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    print("PORT %d" % ls.getsockname()[1], flush=True)
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=handler, args=(conn,), daemon=True).start()


def tls_front(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)

    def handle(conn):
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            conn.close()
            return
        upstream = socket.create_connection(("127.0.0.1", args.to))
        relay(tls, upstream)

    serve(handle)


def connect_proxy(args):
    lock = threading.Lock()

    def handle(conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                conn.close()
                return
            data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        parts = head.split(b"\r\n")[0].decode("latin-1").split()
        if len(parts) < 2 or parts[0] != "CONNECT" or not parts[1].startswith("127.0.0.1:"):
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            conn.close()
            return
        port = int(parts[1].split(":", 1)[1])
        upstream = socket.create_connection(("127.0.0.1", port))
        with lock, open(args.log, "a") as f:
            f.write("CONNECT %s\n" % parts[1])
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if rest:
            upstream.sendall(rest)
        relay(conn, upstream)

    serve(handle)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    t = sub.add_parser("tls")
    t.add_argument("--cert", required=True)
    t.add_argument("--key", required=True)
    t.add_argument("--to", type=int, required=True)
    x = sub.add_parser("proxy")
    x.add_argument("--log", required=True)
    args = p.parse_args()
    (tls_front if args.mode == "tls" else connect_proxy)(args)


if __name__ == "__main__":
    sys.exit(main())

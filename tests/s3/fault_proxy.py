#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for the S3 driver tests (Python 3 standard library only).

Listens on 127.0.0.1 (a free port, written to --port-file), forwards every request unchanged
(Host header included, so SigV4 signatures stay valid) to the upstream S3 server, except while
a fault rule is armed. Rules are armed with an unsigned control request:

    POST /__fault__?action=status&status=503&count=3[&method=PUT]
        answer the next 3 (PUT) requests with 503 and an S3 error document, without forwarding
    POST /__fault__?action=lose&count=1&method=PUT
        forward, let the request land, then answer 500 instead (an answer lost on the way)
    POST /__fault__?action=drop&count=1
        forward, then close the connection without an answer
    POST /__fault__?action=delay&ms=2000&count=1
        wait, then forward
    POST /__fault__?action=clear
    GET  /__fault__                   -> JSON: requests seen, faults applied, rule left

With --tls-cert/--tls-key it speaks HTTPS (for the certificate verification tests).
"""
import argparse
import http.client
import http.server
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse

CODES = {400: "InvalidArgument", 403: "AccessDenied", 404: "NoSuchKey", 429: "SlowDown",
         500: "InternalError", 501: "NotImplemented", 503: "SlowDown", 504: "GatewayTimeout"}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-connection"}


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.rule = None  # dict: action, count, method, status, ms
        self.requests = 0
        self.faults = 0

    def take(self, method):
        with self.lock:
            self.requests += 1
            r = self.rule
            if not r or r["count"] <= 0 or (r["method"] and r["method"] != method):
                return None
            r["count"] -= 1
            self.faults += 1
            return dict(r)


STATE = State()
UPSTREAM = None


def error_body(status):
    code = CODES.get(status, "InjectedFault")
    return ('<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code>'
            '<Message>injected by fault_proxy</Message></Error>' % code).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so the driver's connection reuse is exercised

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def control(self, body):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        if self.command == "GET":
            with STATE.lock:
                out = {"requests": STATE.requests, "faults": STATE.faults, "rule": STATE.rule}
            return self.reply(200, json.dumps(out).encode(), [("Content-Type", "application/json")])
        action = q.get("action", "")
        with STATE.lock:
            if action == "clear":
                STATE.rule = None
            elif action in ("status", "lose", "drop", "delay"):
                STATE.rule = {"action": action, "count": int(q.get("count", "1")),
                              "method": q.get("method", ""), "status": int(q.get("status", "503")),
                              "ms": int(q.get("ms", "0"))}
            else:
                return self.reply(400, b"unknown action")
        self.reply(200, b"ok")

    def forward(self, body):
        conn = http.client.HTTPConnection(UPSTREAM[0], UPSTREAM[1], timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        conn.request(self.command, self.path, body=body if body else None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        out = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP]
        conn.close()
        return resp.status, data, out

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__fault__"):
            return self.control(body)
        rule = STATE.take(self.command)
        action = rule["action"] if rule else None
        if action == "status":
            return self.reply(rule["status"], error_body(rule["status"]),
                              [("Content-Type", "application/xml")])
        if action == "delay":
            time.sleep(rule["ms"] / 1000.0)
        try:
            status, data, headers = self.forward(body)
        except OSError as e:
            return self.reply(502, error_body(502) + str(e).encode())
        if action == "lose":
            return self.reply(500, error_body(500), [("Content-Type", "application/xml")])
        if action == "drop":
            self.close_connection = True
            return
        if self.command == "HEAD" or status in (204, 304):
            # No body; a HEAD keeps the upstream Content-Length (the object's size).
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            return
        self.reply(status, data, [(k, v) for k, v in headers if k.lower() != "content-length"])

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client hanging up, or refusing our test certificate: expected here


def main():
    global UPSTREAM
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True, help="host:port of the S3 server")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    args = ap.parse_args()
    host, port = args.upstream.rsplit(":", 1)
    UPSTREAM = (host, int(port))
    server = Server(("127.0.0.1", 0), Handler)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        # The handshake happens in the handler thread; a client that rejects the certificate
        # must not stall the accept loop.
        server.socket = ctx.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.port_file)  # readers never see a half-written port
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

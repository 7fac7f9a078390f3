#!/usr/bin/env python3
"""fixture_server.py - a loopback HTTP server with the feeds and failure
modes the fetch tests need.  Standard library only.

It binds 127.0.0.1 on an ephemeral port, prints the port on the first line
of stdout, and exits by itself after --max-seconds.

Routes (FILE is a file in --root, tests/data/http by default):
  /feeds/FILE          ETag + Last-Modified, 304 on a match, gzip on request
  /etag-only/FILE      only an ETag
  /lm-only/FILE        only a Last-Modified
  /gzip/FILE           always gzip-encoded (Content-Encoding: gzip)
  /redirect/N/FILE     N 301 hops, then /feeds/FILE
  /loop                a redirect loop
  /to-file             a redirect to file:///etc/hostname
  /status/CODE         that status with a small HTML body
  /retry/SECS          429 with Retry-After: SECS
  /retry-date          503 with Retry-After as an HTTP date (now + 300 s)
  /stall               headers, then nothing
  /truncated           Content-Length larger than what is sent
  /oversized           9 MiB with a Content-Length
  /oversized-chunked   9 MiB chunked (no length known in advance)
  /bomb                64 MiB of XML-ish padding gzipped to ~64 KiB
  /trickle             a byte every 0.25 s
  /html                an HTML error page with status 200
  /__log               JSON list of requests so far (method, path, headers)
  /__reset             clear the log
"""

import argparse
import email.utils
import gzip
import hashlib
import json
import os
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Wed, 26 Nov 2025 12:00:00 GMT"
MIB = 1024 * 1024

STATE = {"root": None, "log": [], "lock": threading.Lock(), "bomb": None,
         "stop": threading.Event()}


def make_bomb():
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip wrapper
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>'
    parts = [comp.compress(head)]
    chunk = b" " * MIB
    for _ in range(64):
        parts.append(comp.compress(chunk))
    parts.append(comp.flush())
    return b"".join(parts)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fixture/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def record(self, status):
        h = self.headers
        with STATE["lock"]:
            STATE["log"].append({
                "method": self.command,
                "path": self.path,
                "status": status,
                "if_none_match": h.get("If-None-Match"),
                "if_modified_since": h.get("If-Modified-Since"),
                "accept_encoding": h.get("Accept-Encoding"),
                "user_agent": h.get("User-Agent"),
                "client_port": self.client_address[1],
            })

    def send_body(self, status, body, ctype="application/xml",
                  extra=None, record=True):
        if record:
            self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def feed_file(self, name):
        root = STATE["root"]
        if "/" in name or name.startswith("."):
            return None
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def serve_feed(self, name, etag=True, lm=True, force_gzip=False):
        data = self.feed_file(name)
        if data is None:
            return self.send_body(404, b"<h1>not found</h1>", "text/html")
        tag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        extra = {}
        if etag:
            extra["ETag"] = tag
        if lm:
            extra["Last-Modified"] = LAST_MODIFIED
        fresh = False
        if etag and inm is not None:
            fresh = tag in [t.strip() for t in inm.split(",")]
        elif lm and ims is not None:
            a = email.utils.parsedate_to_datetime(ims)
            b = email.utils.parsedate_to_datetime(LAST_MODIFIED)
            fresh = a is not None and a >= b
        if fresh:
            self.record(304)
            self.send_response(304)
            for k, v in extra.items():
                self.send_header(k, v)
            self.end_headers()
            return None
        ctype = ("application/atom+xml" if name.endswith(".atom")
                 else "application/rss+xml; charset=utf-8")
        ae = self.headers.get("Accept-Encoding") or ""
        if force_gzip or "gzip" in ae:
            data = gzip.compress(data)
            extra["Content-Encoding"] = "gzip"
            extra["Vary"] = "Accept-Encoding"
        return self.send_body(200, data, ctype, extra)

    def redirect(self, code, location):
        self.record(code)
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream(self, status, chunks, length=None, ctype="application/xml",
               delay=0.0, extra=None):
        """Send headers, then each chunk (with delay between)."""
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if length is not None:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for c in chunks:
                if STATE["stop"].is_set():
                    break
                if length is None:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(c), c))
                else:
                    self.wfile.write(c)
                self.wfile.flush()
                if delay:
                    time.sleep(delay)
            if length is None:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        p = self.path.split("?", 1)[0]
        parts = [x for x in p.split("/") if x]
        if not parts:
            return self.send_body(404, b"", "text/plain")
        head = parts[0]
        if head == "__log":
            with STATE["lock"]:
                body = json.dumps(STATE["log"]).encode()
            return self.send_body(200, body, "application/json",
                                  record=False)
        if head == "__reset":
            with STATE["lock"]:
                STATE["log"].clear()
            return self.send_body(200, b"ok", "text/plain", record=False)
        if head == "feeds" and len(parts) == 2:
            return self.serve_feed(parts[1])
        if head == "etag-only" and len(parts) == 2:
            return self.serve_feed(parts[1], lm=False)
        if head == "lm-only" and len(parts) == 2:
            return self.serve_feed(parts[1], etag=False)
        if head == "gzip" and len(parts) == 2:
            return self.serve_feed(parts[1], force_gzip=True)
        if head == "redirect" and len(parts) == 3:
            n = int(parts[1])
            if n <= 0:
                return self.redirect(302, "/feeds/" + parts[2])
            return self.redirect(301, "/redirect/%d/%s" % (n - 1, parts[2]))
        if head == "loop":
            nxt = "/loop/b" if p != "/loop/b" else "/loop/a"
            return self.redirect(302, nxt)
        if head == "to-file":
            return self.redirect(302, "file:///etc/hostname")
        if head == "status" and len(parts) == 2:
            code = int(parts[1])
            return self.send_body(code, b"<html><body><h1>%d</h1></body>"
                                  b"</html>" % code, "text/html")
        if head == "retry" and len(parts) == 2:
            return self.send_body(429, b"slow down", "text/plain",
                                  {"Retry-After": parts[1]})
        if head == "retry-date":
            when = email.utils.formatdate(time.time() + 300, usegmt=True)
            return self.send_body(503, b"maintenance", "text/plain",
                                  {"Retry-After": when})
        if head == "stall":
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", "10000")
            self.end_headers()
            self.wfile.flush()
            STATE["stop"].wait(120)
            self.close_connection = True
            return None
        if head == "truncated":
            data = self.feed_file("markets.xml")
            return self.stream(200, [data[:300]], length=len(data) + 5000)
        if head == "oversized":
            chunk = b"<!-- " + b"x" * (MIB - 9) + b" -->\n"
            return self.stream(200, [chunk] * 9, length=9 * MIB)
        if head == "oversized-chunked":
            chunk = b"<!-- " + b"x" * (MIB - 9) + b" -->\n"
            return self.stream(200, [chunk] * 9)
        if head == "bomb":
            return self.send_body(200, STATE["bomb"], "application/rss+xml",
                                  {"Content-Encoding": "gzip"})
        if head == "trickle":
            data = self.feed_file("markets.xml")
            return self.stream(200, [data[i:i + 1] for i in range(len(data))],
                               length=len(data), delay=0.25)
        if head == "html":
            data = self.feed_file("error.html")
            return self.send_body(200, data, "text/html; charset=utf-8")
        return self.send_body(404, b"<h1>not found</h1>", "text/html")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that abort (limits being tested) are expected.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.join(here, "data", "http"))
    ap.add_argument("--max-seconds", type=float, default=120)
    args = ap.parse_args()
    STATE["root"] = args.root
    STATE["bomb"] = make_bomb()
    srv = Server(("127.0.0.1", 0), Handler)
    sys.stdout.write("%d\n" % srv.server_address[1])
    sys.stdout.flush()

    def stop():
        STATE["stop"].set()
        srv.shutdown()

    t = threading.Timer(args.max_seconds, stop)
    t.daemon = True
    t.start()
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    STATE["stop"].set()
    srv.server_close()


if __name__ == "__main__":
    main()

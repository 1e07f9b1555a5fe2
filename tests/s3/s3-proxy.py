#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A checking reverse proxy in front of a local S3-compatible server.

s3rver (the npm package the tests run) parses an AWS SigV4 Authorization
header but never computes the signature, and it ignores x-amz-content-sha256.
This proxy does both, independently of libcurl, with the secret key: every
request whose signature or payload hash is wrong gets a 403 here and never
reaches the server.  It also logs each request (one JSON line: method, path,
query, part number, body size, status) so the tests can count which parts
were sent, and it can misbehave on purpose:

  --drop-part N --drop-after BYTES   cut the connection of the first upload of
                                     part N after BYTES of its body
  --refuse-after-drop SECONDS        then close every new connection for that
                                     long, as a dead network would
  --rate BYTES_PER_SECOND            read request bodies no faster than this

Usage: s3-proxy.py --listen PORT --upstream PORT --secret KEY --log FILE [...]
"""

import argparse
import datetime
import hashlib
import hmac
import http.client
import http.server
import json
import socket
import sys
import threading
import time
import urllib.parse

ARGS = None
LOCK = threading.Lock()
STATE = {"dropped": False, "refuse_until": 0.0}


def log(entry):
    with LOCK:
        with open(ARGS.log, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")


def uri_encode(text, keep_slash):
    safe = "-_.~" + ("/" if keep_slash else "")
    return urllib.parse.quote(text, safe=safe)


def canonical_query(raw_query):
    pairs = []
    for item in raw_query.split("&") if raw_query else []:
        key, _, value = item.partition("=")
        key = urllib.parse.unquote(key)
        value = urllib.parse.unquote(value)
        pairs.append((uri_encode(key, False), uri_encode(value, False)))
    pairs.sort()
    return "&".join(f"{k}={v}" for k, v in pairs)


def check_signature(method, raw_path, headers, body):
    """Returns None when the request is signed correctly, else why not."""
    auth = headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return "no AWS4-HMAC-SHA256 Authorization header"
    fields = {}
    for part in auth[len("AWS4-HMAC-SHA256 "):].split(","):
        key, _, value = part.strip().partition("=")
        fields[key] = value
    try:
        credential = fields["Credential"].split("/")
        signed_headers = fields["SignedHeaders"].split(";")
        signature = fields["Signature"]
    except KeyError:
        return "malformed Authorization header"
    access_key, date, region, service, terminator = credential
    if service != "s3" or terminator != "aws4_request":
        return "credential scope is not …/s3/aws4_request"
    if access_key != ARGS.access_key:
        return "unknown access key"
    amz_date = headers.get("x-amz-date", "")
    if not amz_date.startswith(date):
        return "x-amz-date does not match the credential date"
    when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    if abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) > 900:
        return "request time too far from now"
    for required in ("host", "x-amz-date", "x-amz-content-sha256"):
        if required not in signed_headers:
            return f"{required} is not signed"

    payload_hash = headers.get("x-amz-content-sha256", "")
    if payload_hash != "UNSIGNED-PAYLOAD":
        if payload_hash != hashlib.sha256(body).hexdigest():
            return "x-amz-content-sha256 does not match the body"
    if "Content-MD5" in headers:
        import base64
        if headers["Content-MD5"] != base64.b64encode(hashlib.md5(body).digest()).decode():
            return "Content-MD5 does not match the body"

    path, _, query = raw_path.partition("?")
    canonical_headers = "".join(
        f"{name}:{' '.join(headers.get(name, '').split())}\n" for name in signed_headers)
    canonical_request = "\n".join([
        method, path, canonical_query(query), canonical_headers,
        ";".join(signed_headers), payload_hash])
    scope = f"{date}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join([
        "AWS4-HMAC-SHA256", amz_date, scope,
        hashlib.sha256(canonical_request.encode()).hexdigest()])
    key = ("AWS4" + ARGS.secret).encode()
    for piece in (date, region, service, "aws4_request"):
        key = hmac.new(key, piece.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return "signature does not match"
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        if time.time() < STATE["refuse_until"]:
            self.connection.shutdown(socket.SHUT_RDWR)

    def read_body(self, length, drop_after):
        chunks = []
        got = 0
        while got < length:
            want = min(65536, length - got)
            if ARGS.rate:
                want = min(want, max(1024, ARGS.rate // 20))
            if drop_after is not None and got + want > drop_after:
                want = drop_after - got
                if want <= 0:
                    return None
            chunk = self.rfile.read(want)
            if not chunk:
                return None
            chunks.append(chunk)
            got += len(chunk)
            if ARGS.rate:
                time.sleep(len(chunk) / ARGS.rate)
        return b"".join(chunks)

    def handle_any(self):
        path, _, query = self.path.partition("?")
        params = urllib.parse.parse_qs(query, keep_blank_values=True)
        part = int(params["partNumber"][0]) if "partNumber" in params else None
        length = int(self.headers.get("Content-Length", "0"))
        drop_after = None
        with LOCK:
            if (ARGS.drop_part is not None and part == ARGS.drop_part and not STATE["dropped"]):
                STATE["dropped"] = True
                drop_after = ARGS.drop_after
        body = self.read_body(length, drop_after)
        entry = {"method": self.command, "path": path, "query": sorted(params),
                 "part": part, "length": length}
        if body is None:
            entry["status"] = "dropped"
            log(entry)
            if drop_after is not None:
                STATE["refuse_until"] = time.time() + ARGS.refuse_after_drop
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return

        problem = check_signature(self.command, self.path, self.headers, body)
        if problem:
            entry["status"] = 403
            entry["problem"] = problem
            log(entry)
            reply = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SignatureDoesNotMatch</Code>"
                     f"<Message>{problem}</Message></Error>").encode()
            self.send_response(403)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
            return

        upstream = http.client.HTTPConnection("127.0.0.1", ARGS.upstream, timeout=60)
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if name.lower() not in ("connection", "expect"):
                upstream.putheader(name, value)
        upstream.endheaders(body if length else None)
        response = upstream.getresponse()
        data = response.read()
        entry["status"] = response.status
        if response.getheader("ETag"):
            entry["etag"] = response.getheader("ETag")
        log(entry)
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("connection", "transfer-encoding", "content-length", "keep-alive", "date", "server"):
                self.send_header(name, value)
        # A HEAD answers with the length of the object it describes.
        if self.command == "HEAD" and response.getheader("Content-Length"):
            self.send_header("Content-Length", response.getheader("Content-Length"))
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        upstream.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream", type=int, required=True)
    parser.add_argument("--access-key", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--drop-part", type=int)
    parser.add_argument("--drop-after", type=int, default=1 << 20)
    parser.add_argument("--refuse-after-drop", type=float, default=0)
    parser.add_argument("--rate", type=int, default=0)
    ARGS = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", ARGS.listen), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

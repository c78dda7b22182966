#!/usr/bin/python3
"""Programs of the wirewatch lab: servers, clients and a WAN emulator.

They run only inside the lab's network namespaces (see lab/run.sh and docs/lab.md), never in CI, so they use
nothing but Python's standard library. Every client writes one JSON line per thing it did (connection,
request, lookup, failure) to the file given with --log; lab/truth.py turns those lines and the capture into the
example's *.truth.json.

Subcommands:
  dns      a tiny authoritative DNS server (A records from --zone, NXDOMAIN otherwise)
  http     an HTTP/1.1 server with keep-alive, per-URL think time and an optional hostile mode
  smtp     a tiny SMTP server
  browse   a browser-like client: resolves names with the system (glibc) resolver, opens several keep-alive
           connections per host and fetches a page and its sub-resources; --agent makes it behave like an
           endpoint web-protection agent that asks a URL-filter server before every request and fails open
  mail     an SMTP client that sends one message per --count
  refused  a client that retries a connection to a closed port
  hostile  HTTP requests whose URI, Host and User-Agent carry markup, plus a DNS query with markup in its name
  wanem    a WAN emulator between two interfaces (delay, jitter, loss, reordering) on AF_PACKET sockets,
           because the lab's kernel may not have sch_netem
"""

import argparse
import heapq
import json
import random
import select
import socket
import ssl
import struct
import sys
import threading
import time

_log_lock = threading.Lock()
_log_file = None


def log(**rec):
    """Append one event as a JSON line (time stamps are epoch seconds, like the capture's)."""
    rec.setdefault("t", time.time())
    if _log_file is None:
        return
    with _log_lock:
        _log_file.write(json.dumps(rec, sort_keys=True) + "\n")
        _log_file.flush()


def open_log(path):
    global _log_file
    if path:
        _log_file = open(path, "a", buffering=1)


# ---------------------------------------------------------------------------------------------------------
# DNS server


def dns_name(msg, off):
    labels = []
    while off < len(msg):
        n = msg[off]
        off += 1
        if n == 0:
            break
        labels.append(msg[off:off + n].decode("latin-1"))
        off += n
    return ".".join(labels), off


def dns_reply_late(s, peer, delay, qid, flags, rcode, question, answers, n):
    time.sleep(delay)
    hdr = struct.pack("!HHHHHH", qid, 0x8180 | (flags & 0x0100) | rcode, 1, n, 0, 0)
    s.sendto(hdr + question + answers, peer)


def cmd_dns(a):
    zone = {}
    for item in a.zone:
        name, ip = item.split("=", 1)
        zone.setdefault(name.lower().rstrip("."), []).append(ip)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.bind, 53))
    while True:
        msg, peer = s.recvfrom(4096)
        if len(msg) < 12:
            continue
        qid, flags, qd = struct.unpack("!HHH", msg[:6])
        if qd != 1 or flags & 0x8000:
            continue
        name, off = dns_name(msg, 12)
        if off + 4 > len(msg):
            continue
        qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
        question = msg[12:off + 4]
        ips = zone.get(name.lower(), [])
        rcode = 0 if name.lower() in zone else 3
        answers, n = b"", 0
        for ip in ips:
            if qtype == 1 and ":" not in ip:
                answers += b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, a.ttl, 4) + socket.inet_aton(ip)
                n += 1
            elif qtype == 28 and ":" in ip:
                answers += b"\xc0\x0c" + struct.pack("!HHIH", 28, 1, a.ttl, 16) + socket.inet_pton(socket.AF_INET6, ip)
                n += 1
        if a.delay:
            # a slow resolver (recursion to a far-away authority): answers, but late; in a thread so that
            # queries that come meanwhile are not queued behind it
            threading.Thread(target=dns_reply_late, args=(s, peer, a.delay, qid, flags, rcode, question, answers, n),
                             daemon=True).start()
            continue
        hdr = struct.pack("!HHHHHH", qid, 0x8180 | (flags & 0x0100) | rcode, 1, n, 0, 0)
        s.sendto(hdr + question + answers, peer)


# ---------------------------------------------------------------------------------------------------------
# HTTP server

HOSTILE_HEADERS = [
    ("Server", "<script>alert(1)</script>"),
    ("X-Powered-By", "\"><img src=x onerror=alert(1)>"),
    ("Set-Cookie", "session=</title><svg onload=alert(document.domain)>; Path=/"),
    ("Content-Type", "text/html\"><script>alert('ct')</script>"),
]


def body_for(path):
    """A deterministic body for a path: /big/N gives N bytes; other paths get a size from the path's hash."""
    if path.startswith("/big/"):
        try:
            n = int(path[5:].split("?")[0])
        except ValueError:
            n = 1000
    elif path == "/" or path.endswith(".html"):
        n = 2400
    else:
        n = 600 + (sum(path.encode()) * 37) % 3200
    line = ("lab payload for %s " % path).encode("latin-1", "replace")
    return (line * (n // len(line) + 1))[:n]


def http_conn(conn, peer, a, think):
    if a.tls:
        try:
            conn = a.tls_ctx.wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError):
            conn.close()
            return
    f = conn.makefile("rb")
    try:
        while True:
            req = f.readline()
            if not req:
                return
            headers = {}
            while True:
                h = f.readline()
                if not h or h in (b"\r\n", b"\n"):
                    break
                k, _, v = h.decode("latin-1").partition(":")
                headers[k.strip().lower()] = v.strip()
            parts = req.decode("latin-1").split()
            path = parts[1] if len(parts) > 1 else "/"
            n = int(headers.get("content-length", "0") or 0)
            if n and len(f.read(n)) < n:
                return
            for prefix, secs in think:
                if path.startswith(prefix):
                    time.sleep(secs)
                    break
            body = body_for(path)
            if parts and parts[0] == "POST":
                # an API that stores what was posted and answers with a short JSON document
                body = ('{"status":"stored","path":"%s"}' % path).encode("latin-1", "replace")
            status = "200 OK"
            extra = []
            ctype = "text/html" if (path == "/" or path.endswith(".html")) else "application/octet-stream"
            if parts and parts[0] == "POST":
                ctype = "application/json"
            if a.hostile:
                extra = HOSTILE_HEADERS
                body = (b"<html><head><title></title><script>alert('body')</script></head><body>"
                        b"<img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a></body></html>")
                ctype = None
            hdr = "HTTP/1.1 %s\r\n" % status
            if not a.hostile:
                hdr += "Server: lab-httpd/1.0\r\n"
            if ctype:
                hdr += "Content-Type: %s\r\n" % ctype
            for k, v in extra:
                hdr += "%s: %s\r\n" % (k, v)
            hdr += "Content-Length: %d\r\n" % len(body)
            close = headers.get("connection", "").lower() == "close"
            hdr += "Connection: %s\r\n\r\n" % ("close" if close else "keep-alive")
            conn.sendall(hdr.encode("latin-1") + body)
            if close:
                return
    except OSError:
        return
    finally:
        try:
            conn.close()
        except OSError:
            pass


def serve_tcp(bind, port, handler):
    s = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((bind, port))
    s.listen(128)
    while True:
        conn, peer = s.accept()
        threading.Thread(target=handler, args=(conn, peer), daemon=True).start()


def cmd_http(a):
    if a.tls:
        cert, key = a.tls.split(",")
        a.tls_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        a.tls_ctx.load_cert_chain(cert, key)
    think = []
    for item in a.think:
        prefix, secs = item.rsplit("=", 1)
        think.append((prefix, float(secs)))
    serve_tcp(a.bind, a.port, lambda c, p: http_conn(c, p, a, think))


# ---------------------------------------------------------------------------------------------------------
# SMTP server


def smtp_conn(conn, peer, a):
    f = conn.makefile("rb")
    try:
        conn.sendall(("220 %s ESMTP lab-smtpd ready\r\n" % a.name).encode())
        in_data = False
        while True:
            line = f.readline()
            if not line:
                return
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    conn.sendall(b"250 2.0.0 Ok: queued as 4F2A1C\r\n")
                continue
            cmd = line.decode("latin-1").strip().upper()
            if cmd.startswith("EHLO") or cmd.startswith("HELO"):
                conn.sendall(("250-%s\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n" % a.name).encode())
            elif cmd.startswith("DATA"):
                in_data = True
                conn.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif cmd.startswith("QUIT"):
                conn.sendall(b"221 2.0.0 Bye\r\n")
                return
            else:
                conn.sendall(b"250 2.1.0 Ok\r\n")
    except OSError:
        return
    finally:
        conn.close()


def cmd_smtp(a):
    serve_tcp(a.bind, a.port, lambda c, p: smtp_conn(c, p, a))


# ---------------------------------------------------------------------------------------------------------
# Clients


def resolve(name, client, family=socket.AF_INET):
    """The system (glibc) resolver; returns the addresses in getaddrinfo's order (RFC 6724: IPv6 first on a
    dual-stack PC) or [] on failure. AF_UNSPEC asks for A and AAAA."""
    t0 = time.time()
    try:
        infos = socket.getaddrinfo(name, None, family, socket.SOCK_STREAM)
    except socket.gaierror as e:
        log(ev="resolve", client=client, name=name, t0=t0, t1=time.time(), error=str(e))
        return []
    ips = []
    for i in infos:
        if i[4][0] not in ips:
            ips.append(i[4][0])
    log(ev="resolve", client=client, name=name, ip=ips[0], ips=ips, t0=t0, t1=time.time())
    return ips


def read_response(f):
    """Read one HTTP/1.1 response with a Content-Length; returns (status, body length, time of first byte)."""
    status = f.readline()
    tfb = time.time()
    if not status:
        raise OSError("connection closed before the response")
    length = 0
    while True:
        h = f.readline()
        if not h or h in (b"\r\n", b"\n"):
            break
        k, _, v = h.decode("latin-1").partition(":")
        if k.strip().lower() == "content-length":
            length = int(v.strip())
    got = 0
    while got < length:
        chunk = f.read(min(65536, length - got))
        if not chunk:
            raise OSError("connection closed in the body")
        got += len(chunk)
    code = status.decode("latin-1").split()[1] if len(status.split()) > 1 else "?"
    return code, got, tfb


def agent_check(agent, client, url):
    """The endpoint agent: ask the URL-filter server, fail open after the timeout."""
    ip, port, timeout = agent
    s = socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    t0 = time.time()
    result = "ok"
    sport = None
    try:
        s.connect((ip, port))
        sport = s.getsockname()[1]
    except socket.timeout:
        result = "timeout"
    except OSError as e:
        result = "error: %s" % e
    if sport is None:
        try:
            sport = s.getsockname()[1]
        except OSError:
            pass
    s.close()
    rec = dict(sport=sport, dst=ip, dport=port, t0=t0, t1=time.time(), result=result, timeout_s=timeout)
    log(ev="agent", client=client, url=url, **rec)
    return rec


def connect_any(client, ips, port, rcvbuf, timeout, fallback, nodelay):
    """Connect to the first address that answers, in order, like a plain application (no Happy Eyeballs):
    every address but the last gets `fallback` seconds (when set) before the next is tried. Returns the socket
    and the connect time, or (None, None); logs one event per failed address."""
    for i, ip in enumerate(ips):
        s = socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if nodelay:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        last = i == len(ips) - 1
        s.settimeout(timeout if last or not fallback else fallback)
        t0 = time.time()
        try:
            s.connect((ip, port))
            return s, t0
        except OSError as e:
            try:
                src, sport = s.getsockname()[:2]
            except OSError:
                src, sport = None, None
            log(ev="connect", client=client, src=src, sport=sport, dst=ip, dport=port, t0=t0, t1=time.time(),
                error=str(e) or type(e).__name__, fallback=not last)
            s.close()
    return None, None


def browse_conn(client, host, ips, port, paths, agent, a, first_done=None, tls=False):
    s, t0 = connect_any(client, ips, port, a.rcvbuf, a.timeout, a.fallback, a.nodelay)
    if s is None:
        if first_done is not None:
            first_done.set()
        return
    src, sport = s.getsockname()[:2]
    ip = s.getpeername()[0]
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s, server_hostname=host)
    t_conn = time.time()
    log(ev="connect", client=client, src=src, sport=sport, dst=ip, dport=port, host=host, t0=t0, t1=t_conn, tls=tls)
    f = s.makefile("rb")
    for n, path in enumerate(paths):
        t_ready = time.time()
        ag = agent_check(agent, client, "http%s://%s%s" % ("s" if tls else "", host, path)) if agent else None
        body = b""
        method = "GET"
        if a.post:
            method = "POST"
            body = (("item=%d&qty=1&note=" % (n + 1)) + "x" * (a.post - 16)).encode()[:a.post]
        req = ("%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: lab-browser/1.0 (%s)\r\nAccept: */*\r\n"
               "Connection: keep-alive\r\n" % (method, path, host, client))
        if body:
            req += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n" % len(body)
        req = (req + "\r\n").encode("latin-1")
        t_sent = time.time()
        rec = dict(ev="http", client=client, src=src, sport=sport, dst=ip, dport=port, host=host, uri=path, nth=n + 1,
                   t_ready=t_ready, t_sent=t_sent, t_connected=t_conn, method=method, tls=tls)
        if ag:
            rec["agent"] = ag
        try:
            if body and a.split:
                # two writes: the header block, then the body (write-write-read: with Nagle on, the second
                # small segment waits until the first is acknowledged)
                s.sendall(req)
                s.sendall(body)
            else:
                s.sendall(req + body)
            if a.slow_read:
                code, got, tfb = slow_read_response(s, a.slow_read)
            else:
                code, got, tfb = read_response(f)
            rec.update(status=code, bytes=got, t_first_byte=tfb, t_done=time.time())
        except OSError as e:
            rec.update(error=str(e) or type(e).__name__, t_done=time.time())
            log(**rec)
            break
        log(**rec)
        if first_done is not None:
            first_done.set()
            first_done = None
        if a.think_client:
            time.sleep(a.think_client)
    s.close()
    if first_done is not None:
        first_done.set()


def slow_read_response(s, spec):
    """A slow receiver: read `chunk` bytes every `pause` seconds (spec "chunk:pause")."""
    chunk, pause = spec.split(":")
    chunk, pause = int(chunk), float(pause)
    buf = b""
    tfb = None
    while b"\r\n\r\n" not in buf:
        d = s.recv(chunk)
        if not d:
            raise OSError("closed")
        tfb = tfb or time.time()
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.decode("latin-1").partition(":")
        if k.strip().lower() == "content-length":
            length = int(v)
    got = len(rest)
    while got < length:
        time.sleep(pause)
        d = s.recv(min(chunk, length - got))
        if not d:
            raise OSError("closed")
        got += len(d)
    return head.split()[1].decode(), got, tfb


def cmd_browse(a):
    open_log(a.log)
    agent = None
    if a.agent:
        ip, port, timeout = a.agent.split(":")
        agent = (ip, int(port), float(timeout))
    # group URLs by host, keeping order; the first URL is fetched alone (the page), the rest in parallel
    urls = []
    tls_hosts = set()
    for u in a.url:
        scheme, _, u = u.rpartition("://")
        host, _, path = u.partition("/")
        if scheme == "https":
            # a host key of its own, so http:// and https:// of one name use different connections
            host = host if ":" in host else host + ":443"
            tls_hosts.add(host)
        urls.append((host, "/" + path))
    family = socket.AF_UNSPEC if a.family == "any" else socket.AF_INET
    ips = {}
    for host, _ in urls:
        if host not in ips:
            hostname, _, port = host.partition(":")
            ips[host] = resolve(hostname, a.name, family)
    first_host, first_path = urls[0]
    byhost = {}
    for host, path in urls[1:]:
        byhost.setdefault(host, []).append(path)

    page_done = threading.Event()

    def run(host, paths, done=None):
        hostname, _, port = host.partition(":")
        tls = host in tls_hosts
        if ips[host]:
            browse_conn(a.name, hostname, ips[host], int(port or (443 if tls else 80)), paths, agent, a, done, tls)
        elif done is not None:
            done.set()

    # the page first; then its sub-resources over up to --conns connections per host, the page's own
    # connection (kept alive) taking --reuse of them
    same = byhost.pop(first_host, [])
    page_conn = [first_path] + same[:a.reuse]
    if same[a.reuse:]:
        byhost = dict([(first_host, same[a.reuse:])] + list(byhost.items()))
    page = threading.Thread(target=run, args=(first_host, page_conn, page_done))
    page.start()
    page_done.wait()
    time.sleep(a.page_wait)
    threads = []
    for host, paths in byhost.items():
        n = max(1, min(a.conns, len(paths)))
        for i in range(n):
            t = threading.Thread(target=run, args=(host, paths[i::n]))
            t.start()
            threads.append(t)
            time.sleep(a.stagger)
    page.join()
    for t in threads:
        t.join()


def cmd_tlsget(a):
    """HTTPS GETs, one connection each, TLS 1.2 (--tls13: 1.3). With --ocsp the client behaves like a TLS stack that checks the
    server certificate's revocation status online before it finishes the handshake: once the server's first flight
    is in, it connects to the OCSP responder (timeout), then sends its own second flight (soft fail)."""
    open_log(a.log)
    ocsp = None
    if a.ocsp:
        host, port, timeout = a.ocsp.split(":")
        ocsp = (host, int(port), float(timeout))
    for url in a.url:
        host, _, path = url.split("://", 1)[-1].partition("/")
        ip = (resolve(host, a.name) or [None])[0]
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        if not a.tls13:
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = ctx.wrap_bio(inc, out, server_hostname=host)
        s = socket.create_connection((ip, 443), timeout=20)
        sport = s.getsockname()[1]
        rec = dict(ev="tls", client=a.name, sport=sport, dst=ip, dport=443, host=host, uri="/" + path,
                   t_connected=time.time())
        got_server = False
        while True:
            try:
                obj.do_handshake()
                done = True
            except ssl.SSLWantReadError:
                done = False
            pending = out.read()
            if pending:
                if got_server and ocsp and "ocsp" not in rec:
                    ocsp_ip = (resolve(ocsp[0], a.name) or [None])[0]
                    rec["ocsp"] = agent_check((ocsp_ip, ocsp[1], ocsp[2]), a.name, "ocsp://" + ocsp[0])
                    rec["t_second_flight"] = time.time()
                s.sendall(pending)
            if done:
                break
            data = s.recv(65536)
            if not data:
                raise OSError("server closed during the handshake")
            got_server = True
            inc.write(data)
        rec["t_handshake_done"] = time.time()
        obj.write(("GET /%s HTTP/1.1\r\nHost: %s\r\nUser-Agent: lab-tls/1.0\r\nConnection: close\r\n\r\n" % (
            path, host)).encode())
        s.sendall(out.read())
        rec["t_sent"] = time.time()
        body = b""
        while True:
            try:
                chunk = obj.read(65536)
                if not chunk:
                    break
                body += chunk
                continue
            except ssl.SSLWantReadError:
                pass
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                break
            data = s.recv(65536)
            if not data:
                break
            inc.write(data)
        rec.update(t_done=time.time(), status=body.split(b" ", 2)[1].decode() if body.startswith(b"HTTP/") else "?",
                   bytes=len(body))
        s.close()
        log(**rec)
        time.sleep(a.pause)


def cmd_mail(a):
    open_log(a.log)
    for i in range(a.count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(10)
        t0 = time.time()
        step = "connect"
        rec = dict(ev="smtp", client=a.name, dst=a.server, dport=a.port, t0=t0)
        try:
            s.connect((a.server, a.port))
            rec["sport"] = s.getsockname()[1]
            f = s.makefile("rb")

            def expect(prefix):
                line = f.readline()
                while line[3:4] == b"-":
                    line = f.readline()
                if not line:
                    raise OSError("connection closed")
                if not line.startswith(prefix):
                    raise OSError("unexpected reply %r" % line)

            step = "banner"
            expect(b"220")
            for cmd, want in (("EHLO %s.lab.example" % a.name, b"250"), ("MAIL FROM:<%s@lab.example>" % a.name,
                                                                     b"250"),
                              ("RCPT TO:<orders@%s>" % a.domain, b"250"), ("DATA", b"354")):
                step = cmd.split()[0].split(":")[0]
                s.sendall((cmd + "\r\n").encode())
                expect(want)
            step = "body"
            s.sendall(b"Subject: order %d\r\n\r\n" % i + b"Please ship item 4711.\r\n" * 20 + b".\r\n")
            expect(b"250")
            step = "QUIT"
            s.sendall(b"QUIT\r\n")
            expect(b"221")
            rec.update(result="ok", t1=time.time())
        except OSError as e:
            rec.update(result="error", error_step=step, error=str(e) or type(e).__name__, t1=time.time())
        s.close()
        log(**rec)
        time.sleep(a.pause)


def cmd_refused(a):
    open_log(a.log)
    for i in range(a.count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(5)
        t0 = time.time()
        rec = dict(ev="connect", client=a.name, dst=a.server, dport=a.port, t0=t0, attempt=i + 1)
        try:
            s.connect((a.server, a.port))
            rec["result"] = "ok"
        except OSError as e:
            rec["result"] = "error"
            rec["error"] = str(e)
        try:
            rec["sport"] = s.getsockname()[1]
        except OSError:
            pass
        rec["t1"] = time.time()
        s.close()
        log(**rec)
        time.sleep(a.pause)


HOSTILE_URIS = [
    "/search?q=<script>alert(1)</script>",
    "/\"><img/src=x/onerror=alert(1)>",
    "/a?x=</textarea></style><svg/onload=alert('uri')>&y=%3Cscript%3E",
]


def dns_query(name, qid):
    q = b""
    for label in name.split("."):
        lb = label.encode("latin-1")
        q += bytes([len(lb)]) + lb
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + b"\x00" + struct.pack("!HH", 1, 1)


def cmd_hostile(a):
    open_log(a.log)
    # a DNS query whose name carries markup (glibc would refuse to send it, so build it by hand)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(2)
    t0 = time.time()
    u.sendto(dns_query("<script>alert(5)</script>.example", 0x4711), (a.dns, 53))
    try:
        u.recvfrom(4096)
    except OSError:
        pass
    log(ev="dns", client=a.name, sport=u.getsockname()[1], dst=a.dns, dport=53, t0=t0, t1=time.time(),
        name="<script>alert(5)</script>.example")
    u.close()
    hosts = ["\"><img src=x onerror=alert(1)>.example", "<b>evil</b>.example", "shop.example"]
    agents = ["<script>alert(\"ua\")</script>", "Mozilla/5.0 \"><svg onload=alert(4)>", "curl/8.0"]
    s = socket.create_connection((a.server, a.port), timeout=10)
    sport = s.getsockname()[1]
    f = s.makefile("rb")
    for i, uri in enumerate(HOSTILE_URIS):
        req = "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nReferer: javascript:alert(6)\r\n\r\n" % (
            uri, hosts[i % len(hosts)], agents[i % len(agents)])
        t_sent = time.time()
        s.sendall(req.encode("latin-1"))
        code, got, tfb = read_response(f)
        log(ev="http", client=a.name, sport=sport, dst=a.server, dport=a.port, host=hosts[i % len(hosts)],
            uri=uri, nth=i + 1, t_sent=t_sent, t_first_byte=tfb, t_done=time.time(), status=code, bytes=got)
    s.close()


# ---------------------------------------------------------------------------------------------------------
# WAN emulator

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def cmd_wanem(a):
    rnd = random.Random(a.seed)
    socks = {}
    for name in (a.a, a.b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.bind((name, 0))
        socks[name] = s
    sa, sb = socks[a.a], socks[a.b]
    stats = {"ab": dict(rx=0, tx=0, lost=0, reordered=0), "ba": dict(rx=0, tx=0, lost=0, reordered=0)}
    heap = []
    last = {"ab": 0.0, "ba": 0.0}
    seq = 0
    running = True

    def stop(*_):
        nonlocal running
        running = False

    import signal
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while running:
        now = time.time()
        while heap and heap[0][0] <= now:
            _, _, out, data, d = heapq.heappop(heap)
            try:
                out.send(data)
                stats[d]["tx"] += 1
            except OSError:
                stats[d]["lost"] += 1
        timeout = max(0.0, heap[0][0] - now) if heap else 0.2
        try:
            r, _, _ = select.select([sa, sb], [], [], timeout)
        except InterruptedError:
            continue
        for s in r:
            data, addr = s.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                continue
            d = "ab" if s is sa else "ba"
            out = sb if s is sa else sa
            stats[d]["rx"] += 1
            loss = a.loss_ab if d == "ab" else a.loss_ba
            if loss and len(data) >= a.loss_min_len and rnd.random() < loss:
                stats[d]["lost"] += 1
                continue
            # jitter never reorders by itself (a link is a FIFO); only --reorder-* sends a packet late
            release = max(time.time() + a.delay_ms / 1000.0 + rnd.uniform(0, a.jitter_ms / 1000.0), last[d])
            reorder = a.reorder_ab if d == "ab" else a.reorder_ba
            if reorder and len(data) >= a.loss_min_len and rnd.random() < reorder:
                stats[d]["reordered"] += 1
                release += a.reorder_ms / 1000.0
            else:
                last[d] = release
            seq += 1
            heapq.heappush(heap, (release, seq, out, data, d))
    if a.stats:
        with open(a.stats, "w") as f:
            json.dump(stats, f, indent=1)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dns")
    d.add_argument("--bind", required=True)
    d.add_argument("--zone", action="append", default=[])
    d.add_argument("--ttl", type=int, default=30)
    d.add_argument("--delay", type=float, default=0)
    h = sub.add_parser("http")
    h.add_argument("--bind", required=True)
    h.add_argument("--port", type=int, default=80)
    h.add_argument("--think", action="append", default=[], help="PATH_PREFIX=SECONDS")
    h.add_argument("--hostile", action="store_true")
    h.add_argument("--tls", help="CERT.pem,KEY.pem: serve HTTPS")
    m = sub.add_parser("smtp")
    m.add_argument("--bind", required=True)
    m.add_argument("--port", type=int, default=25)
    m.add_argument("--name", default="mx.lab.example")
    b = sub.add_parser("browse")
    b.add_argument("--name", required=True)
    b.add_argument("--log")
    b.add_argument("--agent", help="FILTER_IP:PORT:TIMEOUT_S")
    b.add_argument("--conns", type=int, default=3)
    b.add_argument("--reuse", type=int, default=1, help="sub-resources fetched on the page's connection")
    b.add_argument("--page-wait", type=float, default=0.05,
                   help="seconds between the page's response and its sub-resources (parsing)")
    b.add_argument("--stagger", type=float, default=0.002)
    b.add_argument("--rcvbuf", type=int, default=0)
    b.add_argument("--slow-read", help="CHUNK:PAUSE_S")
    b.add_argument("--timeout", type=float, default=15)
    b.add_argument("--family", choices=("4", "any"), default="4",
                   help="any: resolve A and AAAA and connect in getaddrinfo's order (IPv6 first)")
    b.add_argument("--fallback", type=float, default=0,
                   help="seconds an address may take to connect before the next address is tried")
    b.add_argument("--post", type=int, default=0, help="POST a body of this many bytes instead of GET")
    b.add_argument("--split", action="store_true", help="write the request head and body in two sends")
    b.add_argument("--nodelay", action="store_true", help="TCP_NODELAY (Nagle off)")
    b.add_argument("--think-client", type=float, default=0, help="seconds between responses and next requests")
    b.add_argument("url", nargs="+")
    c = sub.add_parser("mail")
    c.add_argument("--name", required=True)
    c.add_argument("--log")
    c.add_argument("--server", required=True)
    c.add_argument("--port", type=int, default=25)
    c.add_argument("--domain", default="partner.example")
    c.add_argument("--count", type=int, default=2)
    c.add_argument("--pause", type=float, default=1.0)
    r = sub.add_parser("refused")
    r.add_argument("--name", required=True)
    r.add_argument("--log")
    r.add_argument("--server", required=True)
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--count", type=int, default=3)
    r.add_argument("--pause", type=float, default=0.5)
    t = sub.add_parser("tlsget")
    t.add_argument("--name", required=True)
    t.add_argument("--log")
    t.add_argument("--ocsp", help="OCSP_HOST:PORT:TIMEOUT_S (or a CRL distribution point: the same wait)")
    t.add_argument("--tls13", action="store_true", help="allow TLS 1.3 (default: at most TLS 1.2)")
    t.add_argument("--pause", type=float, default=0.3)
    t.add_argument("url", nargs="+")
    x = sub.add_parser("hostile")
    x.add_argument("--name", required=True)
    x.add_argument("--log")
    x.add_argument("--server", required=True)
    x.add_argument("--port", type=int, default=80)
    x.add_argument("--dns", required=True)
    w = sub.add_parser("wanem")
    w.add_argument("--a", required=True, help="interface toward the site router")
    w.add_argument("--b", required=True, help="interface toward the internet")
    w.add_argument("--delay-ms", type=float, default=12)
    w.add_argument("--jitter-ms", type=float, default=1)
    w.add_argument("--loss-ab", type=float, default=0)
    w.add_argument("--loss-ba", type=float, default=0)
    w.add_argument("--loss-min-len", type=int, default=0)
    w.add_argument("--reorder-ab", type=float, default=0)
    w.add_argument("--reorder-ba", type=float, default=0)
    w.add_argument("--reorder-ms", type=float, default=6)
    w.add_argument("--seed", type=int, default=1)
    w.add_argument("--stats")
    a = p.parse_args(argv)
    {"dns": cmd_dns, "http": cmd_http, "smtp": cmd_smtp, "browse": cmd_browse, "mail": cmd_mail,
     "refused": cmd_refused, "hostile": cmd_hostile, "tlsget": cmd_tlsget, "wanem": cmd_wanem}[a.cmd](a)


if __name__ == "__main__":
    main(sys.argv[1:])

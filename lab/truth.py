#!/usr/bin/python3
"""Write the ground truth of one lab scenario: lab/truth.py SCENARIO_DIR OUT.truth.json CAPTURE_NAME

Reads what the lab did (SCENARIO_DIR/scenario.json, the clients' events-*.jsonl, the WAN emulator's counters)
and the capture itself (through tshark, so frame numbers are tshark's), and writes a truth file in the format of
../shared/scenarios/*.truth.json: category, culprit, affected and unaffected clients, victims with their
endpoints, stall durations and frame numbers. Nothing is typed by hand: if the capture does not show what the
scenario meant to reproduce, this script fails and the lab run with it.
"""

import glob
import json
import os
import subprocess
import sys

FIELDS = ["frame.number", "frame.time_epoch", "ip.src", "ip.dst", "ip.ttl", "ip.len", "ip.proto", "tcp.srcport",
          "tcp.dstport", "tcp.flags", "tcp.len", "tcp.seq", "tcp.stream", "tcp.window_size",
          "udp.srcport", "udp.dstport", "dns.qry.name", "dns.flags.response", "dns.flags.rcode",
          "http.request.method", "http.request.uri", "http.response.code", "tcp.analysis.flags",
          "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission", "tcp.analysis.duplicate_ack",
          "tcp.analysis.out_of_order", "tcp.analysis.lost_segment", "tcp.analysis.zero_window",
          "tcp.analysis.window_full", "tcp.analysis.spurious_retransmission", "tcp.options.sack_le",
          "icmp.type", "arp.opcode", "arp.dst.proto_ipv4", "arp.src.proto_ipv4", "tls.handshake.type",
          "tls.handshake.extensions_server_name", "ipv6.src", "ipv6.dst", "ipv6.hlim", "tcp.ack", "tcp.nxtseq",
          "tls.record.content_type", "dns.id", "dns.qry.type", "tcp.analysis.bytes_in_flight",
          "tcp.analysis.ack_rtt"]

HOSTS = {
    "192.168.77.1": "site router / default gateway (LAN side)",
    "192.168.77.11": "client PC-DORA (MAC a4:bb:6d:5e:10:11)",
    "192.168.77.12": "client PC-EMIL (MAC 70:85:c2:3f:20:12)",
    "192.168.77.13": "client PC-FRIDA (MAC d8:bb:c1:0a:30:13)",
    "192.168.77.14": "client PC-GUNNAR (MAC b0:7b:25:66:40:14)",
    "172.16.9.53": "DNS server 1 (data centre)",
    "172.16.9.54": "DNS server 2 (data centre)",
    "172.16.9.25": "internal mail relay relay.lab.internal",
    "172.16.9.80": "intranet web server intranet.lab.internal",
    "198.18.40.10": "web server www.northwind.example (WAN)",
    "198.18.41.20": "web server cdn.northwind-static.example (WAN)",
    "198.19.7.7": "app server app.fabrikam-portal.example (WAN)",
    "198.18.25.25": "mail server mx.contoso-partner.example (WAN)",
    "198.18.99.9": "OCSP responder ocsp.northwind-ca.example (down, silently dropped)",
    "198.19.80.80": "download server files.tailspin-dl.example (WAN)",
    "192.168.77.50": "licence/proxy box of the endpoint agent (switched off)",
    "10.99.8.20": "URL-filter server urlfilter.av-cloud.example (behind a VPN that is down)",
    "172.16.9.57": "slow DNS forwarder (data centre)",
    "198.18.99.19": "CRL distribution point crl.northwind-ca.example (down, silently dropped)",
    "2001:db8:77:1::1": "site router (LAN side, IPv6)",
    "2001:db8:77:1::11": "client PC-DORA, IPv6 (MAC a4:bb:6d:5e:10:11)",
    "2001:db8:77:1::12": "client PC-EMIL, IPv6 (MAC 70:85:c2:3f:20:12)",
    "2001:db8:40::10": "web server www/secure.northwind.example, IPv6 (WAN)",
    "2001:db8:41::20": "web server cdn.northwind-static.example, IPv6 (WAN)",
}


class Capture:
    def __init__(self, path):
        out = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-E", "occurrence=f", "-E",
                              "separator=\t"] + sum([["-e", f] for f in FIELDS], []),
                             check=True, capture_output=True, text=True).stdout
        self.frames = []
        for line in out.splitlines():
            vals = line.split("\t")
            self.frames.append({f: v for f, v in zip(FIELDS, vals)})
        for fr in self.frames:
            fr["n"] = int(fr["frame.number"])
            fr["t"] = float(fr["frame.time_epoch"])
            if not fr["ip.src"] and fr["ipv6.src"]:
                # one address field for both families (tshark: ip.* or ipv6.*)
                fr["ip.src"], fr["ip.dst"], fr["ip.ttl"] = fr["ipv6.src"], fr["ipv6.dst"], fr["ipv6.hlim"]

    def where(self, **kw):
        """Frames whose fields equal the given values (field names with _ for .)."""
        want = {k.replace("__", ".").replace("_", "."): str(v) for k, v in kw.items()}
        return [f for f in self.frames if all(f.get(k) == v for k, v in want.items())]

    def conn(self, a, ap, b, bp):
        """Frames of one TCP connection, both directions."""
        a, b, ap, bp = str(a), str(b), str(ap), str(bp)
        return [f for f in self.frames if (f["ip.src"], f["tcp.srcport"], f["ip.dst"], f["tcp.dstport"]) in
                ((a, ap, b, bp), (b, bp, a, ap))]

    def udp(self, a, ap, b, bp):
        a, b, ap, bp = str(a), str(b), str(ap), str(bp)
        return [f for f in self.frames if (f["ip.src"], f["udp.srcport"], f["ip.dst"], f["udp.dstport"]) in
                ((a, ap, b, bp), (b, bp, a, ap))]


def syn(f):
    return f["tcp.flags"] == "0x0002"


def synack(f):
    return f["tcp.flags"] == "0x0012"


def rst(f):
    return f["tcp.flags"] in ("0x0004", "0x0014")


def r(x, n=4):
    return round(x, n)


def tuple5(proto, src, sport, dst, dport):
    return {"proto": proto, "src": src, "sport": int(sport), "dst": dst, "dport": int(dport)}


def fail(msg):
    sys.exit("truth: scenario did not reproduce: " + msg)


def analysis_counts(frames):
    keys = {"retransmissions": "tcp.analysis.retransmission", "fast_retransmissions":
            "tcp.analysis.fast_retransmission", "duplicate_acks": "tcp.analysis.duplicate_ack",
            "out_of_order": "tcp.analysis.out_of_order", "previous_segment_not_captured":
            "tcp.analysis.lost_segment", "spurious_retransmissions": "tcp.analysis.spurious_retransmission",
            "zero_window": "tcp.analysis.zero_window", "window_full": "tcp.analysis.window_full",
            "sack_frames": "tcp.options.sack_le"}
    return {k: sum(1 for f in frames if f[v]) for k, v in keys.items()}


# ---------------------------------------------------------------------------------------------------------
# one function per scenario; each returns (root_cause, affected, unaffected, victims, checks)


def http_victim_frames(cap, e):
    src = e.get("src") or e["client"]
    fr = cap.conn(src, e["sport"], e["dst"], e["dport"])
    if e.get("tls"):
        # HTTPS: the request is the client's first data after the moment the client sent it
        req = [f for f in fr if f["ip.src"] == src and f["tcp.len"] not in ("", "0") and f["t"] >= e["t_sent"] - 0.003]
    else:
        req = [f for f in fr if f["ip.src"] == src and f["http.request.uri"] == e["uri"]]
    if not req:
        fail("request %s from %s:%s not in the capture" % (e["uri"], e["client"], e["sport"]))
    req = req[0]
    before = [f for f in fr if f["n"] < req["n"]][-1]
    # the first new data from the server: a (spurious) retransmission of the previous response is not it
    resp = [f for f in fr if f["n"] > req["n"] and f["ip.src"] == e["dst"] and f["tcp.len"] not in ("", "0") and
            not (f["tcp.analysis.retransmission"] or f["tcp.analysis.spurious_retransmission"] or
                 f["tcp.analysis.fast_retransmission"])]
    return fr, req, before, (resp[0] if resp else None)


def sc_http(meta, cap, ev):
    reqs = [e for e in ev if e["ev"] == "http"]
    if not reqs or any(e.get("status") != "200" for e in reqs):
        fail("the page fetch failed")
    rc = {"category": None, "summary": "A clean page fetch: one DNS lookup answered at once, a TCP handshake over "
          "a ~30 ms WAN, GET / and a 200 response, then FIN. Nothing is wrong; no finding should be critical.",
          "culprit": None}
    return rc, [], sorted({e["client"] for e in reqs}), [], []


def sc_fail_open(meta, cap, ev):
    to = meta["timeout_s"]
    victims, checks = [], []
    agent_client = meta["agent_client"]
    for e in sorted((e for e in ev if e["ev"] == "http" and e["client"] == agent_client), key=lambda e: e["t_sent"]):
        ag = e.get("agent")
        if not ag or ag["result"] != "timeout":
            fail("agent did not time out for %s" % e["uri"])
        fr, req, before, resp = http_victim_frames(cap, e)
        syns = [f for f in cap.where(ip_src=e["client"], ip_dst=meta["filter"], tcp_srcport=ag["sport"],
                                     tcp_dstport=meta["filter_port"]) if syn(f)]
        if not syns:
            fail("no SYN to the filter server for %s" % e["uri"])
        stall = req["t"] - before["t"]
        from_syn = req["t"] - syns[0]["t"]
        if not (to - 0.05 <= from_syn <= to + 0.5):
            fail("request %s followed the first filter SYN after %.3f s" % (e["uri"], from_syn))
        victims.append({
            "client": e["client"], "tcp_stream": int(req["tcp.stream"]),
            "five_tuple": tuple5("tcp", e.get("src") or e["client"], e["sport"], e["dst"], e["dport"]),
            "request": "GET " + e["uri"], "host": e["host"], "nth_request_on_connection": e["nth"],
            "https": bool(e.get("tls")), "stall_s": r(stall, 3), "stall_from_first_culprit_syn_s": r(from_syn, 3),
            "stall_measured_from": "handshake final ACK" if e["nth"] == 1 else "last packet of previous exchange",
            "agent_wait_s": r(ag["t1"] - ag["t0"], 3),
            "frames": {"before_stall": before["n"], "delayed_request": req["n"],
                       "first_response": resp["n"] if resp else None, "culprit_syns": [f["n"] for f in syns]},
            "culprit_connection": tuple5("tcp", e["client"], ag["sport"], meta["filter"], meta["filter_port"]),
        })
        checks.append({"kind": "gap", "from": syns[0]["n"], "to": req["n"], "min_s": to * 0.95,
                       "max_s": to * 1.2, "measured_s": r(from_syn),
                       "what": "GET follows the first SYN to the filter server by the agent's timeout"})
    answers = [f for f in cap.frames if f["ip.src"] == meta["filter"]]
    if answers:
        fail("the filter server answered")
    others = sorted({e["client"] for e in ev if e["ev"] == "http" and e["client"] != agent_client})
    for c in others:
        if any(f["ip.src"] == c and f["ip.dst"] == meta["filter"] for f in cap.frames):
            fail("%s contacted the filter server" % c)
        checks.append({"kind": "count", "filter": "ip.src==%s && ip.dst==%s" % (c, meta["filter"]), "min": 0,
                       "max": 0, "measured": 0, "what": "unaffected client never contacts the filter server"})
    checks.append({"kind": "count", "filter": "ip.src==%s" % meta["filter"], "min": 0, "max": 0, "measured": 0,
                   "what": "filter server never answers"})
    rc = {"category": "blocked-on-unreachable-dependency",
          "summary": "An endpoint web-protection agent on %s holds every HTTP request after the TCP handshake and "
          "first connects to its URL-filter server %s:%d. The router silently drops the HQ prefix (site-to-site "
          "VPN down), so the SYNs (Linux retransmits after 1 s) get no answer; after %g s the agent gives up, "
          "fails open and the request goes out. Every request of the page (%d of them) waits %g s; the other "
          "PCs fetch the same page in well under a second." % (agent_client, meta["filter"], meta["filter_port"],
                                                               to, len(victims), to),
          "culprit": {"host": meta["filter"], "port": meta["filter_port"], "proto": "tcp", "timeout_s": to,
                      "role": "URL-filter / web-reputation server of the endpoint agent",
                      "behaviour": "no SYN/ACK, no RST, no ICMP (silently dropped)"}}
    return rc, [agent_client], others, victims, checks


def sc_fail_open_arp(meta, cap, ev):
    victims, checks = [], []
    agent_client, dep = meta["agent_client"], meta["filter"]
    waits = []
    for e in sorted((e for e in ev if e["ev"] == "http" and e["client"] == agent_client), key=lambda e: e["t_sent"]):
        ag = e.get("agent")
        if not ag or "no route to host" not in ag["result"].lower():
            fail("the agent's connect did not fail with 'no route to host' for %s: %s" % (e["uri"], ag))
        fr, req, before, resp = http_victim_frames(cap, e)
        arps = [f for f in cap.frames if f["arp.opcode"] == "1" and f["arp.src.proto_ipv4"] == agent_client and
                f["arp.dst.proto_ipv4"] == dep and ag["t0"] - 0.01 <= f["t"] <= req["t"]]
        if not arps:
            fail("no ARP request for %s during the wait for %s" % (dep, e["uri"]))
        waits.append(ag["t1"] - ag["t0"])
        victims.append({
            "client": e["client"], "tcp_stream": int(req["tcp.stream"]),
            "five_tuple": tuple5("tcp", e["client"], e["sport"], e["dst"], e["dport"]),
            "request": "GET " + e["uri"], "host": e["host"], "nth_request_on_connection": e["nth"],
            "stall_s": r(req["t"] - before["t"], 3), "agent_wait_s": r(ag["t1"] - ag["t0"], 3),
            "frames": {"before_stall": before["n"], "delayed_request": req["n"],
                       "first_response": resp["n"] if resp else None, "culprit_arp_requests": [f["n"] for f in arps]},
        })
    if any(f["arp.opcode"] == "2" and f["arp.src.proto_ipv4"] == dep for f in cap.frames):
        fail("%s answered ARP" % dep)
    if any(f["ip.dst"] == dep for f in cap.frames):
        fail("a packet to %s reached the wire" % dep)
    others = sorted({e["client"] for e in ev if e["ev"] == "http" and e["client"] != agent_client})
    to = r(sorted(waits)[len(waits) // 2], 3)
    rc = {"category": "blocked-on-unreachable-dependency",
          "summary": "An agent on %s holds every HTTP request after the TCP handshake while it connects to %s:%d on "
          "the same LAN. That box is switched off: the PC's ARP requests for it get no reply, so its SYN never "
          "reaches the wire, and after the kernel's 3 ARP probes (1 s apart) connect() fails with 'no route to "
          "host' and the agent lets the request go, %g s late. The capture shows the dependency only as "
          "unanswered ARP requests (the port is not visible on the wire). %s fetch the same pages at once." % (
              agent_client, dep, meta["filter_port"], to, " and ".join(others)),
          "culprit": {"host": dep, "port": None, "proto": "tcp", "timeout_s": to,
                      "port_configured": meta["filter_port"],
                      "role": "LAN licence/proxy server of the endpoint agent, switched off",
                      "behaviour": "no ARP reply; the SYN never leaves the client"}}
    return rc, [agent_client], others, victims, checks


def sc_tls_ocsp(meta, cap, ev):
    to, ocsp, client = meta["timeout_s"], meta["ocsp"], meta["agent_client"]
    victims, checks = [], []
    for e in sorted((e for e in ev if e["ev"] == "tls" and e["client"] == client), key=lambda e: e["t_connected"]):
        oc = e.get("ocsp")
        if not oc or oc["result"] != "timeout":
            fail("the OCSP check did not time out: %s" % oc)
        fr = cap.conn(e["client"], e["sport"], e["dst"], e["dport"])
        ch = [f for f in fr if f["ip.src"] == client and f["tls.handshake.type"] == "1"]
        cke = [f for f in fr if f["ip.src"] == client and f["tls.handshake.type"] == "16"]
        if not ch or not cke:
            fail("no ClientHello/ClientKeyExchange on %s" % e["sport"])
        before = [f for f in fr if f["n"] < cke[0]["n"]][-1]
        syns = [f for f in cap.where(ip_src=client, ip_dst=ocsp, tcp_srcport=oc["sport"], tcp_dstport=meta["ocsp_port"])
                if syn(f)]
        if not syns:
            fail("no SYN to the OCSP responder")
        stall = cke[0]["t"] - before["t"]
        if not (to - 0.05 <= cke[0]["t"] - syns[0]["t"] <= to + 0.5):
            fail("the client's second flight came %.3f s after the OCSP SYN" % (cke[0]["t"] - syns[0]["t"]))
        dnsq = [f for f in cap.frames if f["ip.src"] == client and f["dns.qry.name"] == "ocsp.northwind-ca.example"
                and before["t"] - 0.01 <= f["t"] <= syns[0]["t"]]
        victims.append({
            "client": client, "tcp_stream": int(ch[0]["tcp.stream"]),
            "five_tuple": tuple5("tcp", client, e["sport"], e["dst"], e["dport"]), "request": "GET " + e["uri"],
            "sni": e["host"], "stall_s": r(stall, 3), "stall_from_first_culprit_syn_s": r(cke[0]["t"] - syns[0]["t"], 3),
            "stall_measured_from": "last packet of the server's first flight (ServerHelloDone)",
            "frames": {"client_hello": ch[0]["n"], "before_stall": before["n"], "client_key_exchange": cke[0]["n"],
                       "ocsp_dns_query": dnsq[0]["n"] if dnsq else None, "culprit_syns": [f["n"] for f in syns]},
            "culprit_connection": tuple5("tcp", client, oc["sport"], ocsp, meta["ocsp_port"])})
    if any(f["ip.src"] == ocsp for f in cap.frames):
        fail("the OCSP responder answered")
    others = sorted({e["client"] for e in ev if e["ev"] in ("tls", "http") and e["client"] != client})
    rc = {"category": "blocked-on-unreachable-dependency",
          "summary": "The TLS stack on %s checks the server certificate's revocation status online (the "
          "certificate names the OCSP responder http://ocsp.northwind-ca.example/) before it finishes each TLS 1.2 "
          "handshake. The responder %s:%d is down and silently dropped; after the server's first flight "
          "(ServerHello ... ServerHelloDone) the client looks the responder up, sends SYNs that get no answer, "
          "waits %g s, soft-fails and only then sends ClientKeyExchange/Finished. Each HTTPS connection starts "
          "%g s late. %s, without online revocation checks, connects to the same server at once." % (
              client, ocsp, meta["ocsp_port"], to, to, " and ".join(o for o in others)),
          "culprit": {"host": ocsp, "port": meta["ocsp_port"], "proto": "tcp", "timeout_s": to,
                      "role": "OCSP responder of the server certificate's CA",
                      "behaviour": "no SYN/ACK, no RST, no ICMP (silently dropped)"}}
    return rc, [client], others, victims, checks


def sc_office_mix(meta, cap, ev):
    fo, dns = dict(meta["fail_open"]), dict(meta["dns"])
    rc1, aff1, _, vic1, chk1 = sc_fail_open(fo, cap, ev)
    rc2, aff2, _, vic2, chk2 = sc_dns(dns, cap, ev)
    for v in vic1:
        v["category"] = rc1["category"]
    for v in vic2:
        v["category"] = rc2["category"]
    affected = sorted(set(aff1) | set(aff2))
    if set(aff1) & set(aff2):
        fail("one client has both problems")
    rc = {"category": rc1["category"] + "+" + rc2["category"], "categories": [rc1["category"], rc2["category"]],
          "summary": "Two problems at once on different PCs. (a) " + rc1["summary"] + " (b) " + rc2["summary"],
          "culprit": {"blocked": dict(rc1["culprit"], client=aff1[0]), "dns": dict(rc2["culprit"], client=aff2[0])},
          "culprits": [dict(rc1["culprit"], category=rc1["category"], affected_clients=aff1),
                       dict(rc2["culprit"], category=rc2["category"], affected_clients=aff2)]}
    return rc, affected, sorted(set(meta["clients"]) - set(affected)), vic1 + vic2, chk1 + chk2


def sc_dns(meta, cap, ev):
    to, dead, good = meta["timeout_s"], meta["dead"], meta["working"]
    victims, affected = [], set()
    for q in cap.frames:
        if q["ip.dst"] != dead or q["udp.dstport"] != "53" or q["dns.flags.response"] not in ("0", "False"):
            continue
        c, name = q["ip.src"], q["dns.qry.name"]
        retry = [f for f in cap.frames if f["n"] > q["n"] and f["ip.src"] == c and f["ip.dst"] == good and
                 f["dns.qry.name"] == name and f["dns.flags.response"] in ("0", "False")]
        if not retry:
            fail("no retry of %s to %s" % (name, good))
        retry = retry[0]
        ans = [f for f in cap.frames if f["n"] > retry["n"] and f["ip.src"] == good and f["ip.dst"] == c and
               f["udp.dstport"] == retry["udp.srcport"] and f["dns.flags.response"] in ("1", "True")][0]
        wait = retry["t"] - q["t"]
        if not (to - 0.05 <= wait <= to + 0.3):
            fail("retry came %.3f s after the query" % wait)
        syn_after = [f for f in cap.frames if f["n"] > ans["n"] and f["ip.src"] == c and syn(f)]
        affected.add(c)
        victims.append({
            "client": c, "query": {"name": name, "type": "A"},
            "five_tuple": tuple5("udp", c, q["udp.srcport"], dead, 53),
            "stall_s": r(ans["t"] - q["t"], 3),
            "frames": {"query_to_dead_server": q["n"], "retry_to_second_server": retry["n"], "answer": ans["n"],
                       "following_tcp_syn": syn_after[0]["n"] if syn_after else None}})
    if not victims:
        fail("no query to the dead server")
    clients = set(meta["clients"])
    rc = {"category": "dns-server-timeout",
          "summary": "%s lists DNS server %s first in resolv.conf; that server silently drops every query. Each "
          "lookup waits the glibc resolver timeout of %g s, then goes to %s, which answers at once, so every new "
          "host name costs %g s before the TCP connection starts. The other PCs list the working server first "
          "and resolve the same names in a millisecond." % (", ".join(sorted(affected)), dead, to, good, to),
          "culprit": {"host": dead, "port": 53, "proto": "udp", "timeout_s": to,
                      "role": "primary DNS server (unreachable, silently dropping)", "working_server": good}}
    return rc, sorted(affected), sorted(clients - affected), victims, []


def sc_loss(meta, cap, ev):
    victims, affected, clean = [], set(), []
    for e in (e for e in ev if e["ev"] == "http"):
        fr = cap.conn(e["client"], e["sport"], e["dst"], e["dport"])
        counts = analysis_counts(fr)
        data = sum(int(f["tcp.len"] or 0) for f in fr if f["ip.src"] == e["dst"])
        v = {"client": e["client"], "tcp_stream": int(fr[0]["tcp.stream"]),
             "five_tuple": tuple5("tcp", e["client"], e["sport"], e["dst"], e["dport"]),
             "request": "GET " + e["uri"], "host": e["host"], "bytes_from_server": data,
             "duration_s": r(fr[-1]["t"] - fr[0]["t"], 3), "tcp_analysis": counts}
        if e["dst"].startswith("172.16."):
            clean.append(v)
            if counts["retransmissions"] or counts["out_of_order"] or counts["previous_segment_not_captured"]:
                fail("the intranet download shows loss")
            continue
        if not (counts["retransmissions"] or counts["previous_segment_not_captured"] or counts["out_of_order"]):
            continue
        affected.add(e["client"])
        victims.append(v)
    if not victims:
        fail("no WAN download shows loss")
    stats = json.load(open(os.path.join(meta["dir"], "wanem.json")))
    rc = {"category": "packet-loss",
          "summary": "The WAN link between the site router and the ISP drops %g%% of the large server-to-client "
          "packets, reorders %g%% and drops %g%% of the client's large packets. Downloads across the WAN show "
          "retransmissions, duplicate ACKs with SACK, 'previous segment not captured' (the loss is upstream of "
          "the LAN capture point) and out-of-order segments; the same download from the intranet server, which "
          "does not cross the WAN, is clean." % (meta["loss_ba"] * 100, meta["reorder_ba"] * 100,
                                                 meta["loss_ab"] * 100),
          "culprit": {"host": None, "port": None, "proto": "tcp", "timeout_s": None,
                      "link": "WAN between router 100.72.1.2 and ISP 100.72.1.1",
                      "configured": {"down_loss": meta["loss_ba"], "down_reorder": meta["reorder_ba"],
                                     "up_loss": meta["loss_ab"], "min_len": 800, "delay_ms_each_way": 14},
                      "emulator_stats": {"up": stats["ab"], "down": stats["ba"]}}}
    unaffected = sorted(set(meta["clients"]) - affected)
    return rc, sorted(affected), unaffected, victims, [{"kind": "clean_reference", "connections": clean}]


def sc_think(meta, cap, ev):
    victims, affected = [], set()
    for e in (e for e in ev if e["ev"] == "http"):
        think = [v for k, v in meta["think"].items() if e["uri"].startswith(k)]
        if not think or e["dst"] != meta["server"]:
            continue
        fr, req, before, resp = http_victim_frames(cap, e)
        ack = [f for f in fr if f["n"] > req["n"] and f["ip.src"] == e["dst"]]
        stall = resp["t"] - req["t"]
        if not (think[0] <= stall <= think[0] + max(0.5, 0.3 * think[0])):
            fail("think time %.3f for %s" % (stall, e["uri"]))
        # the path's round trip: the quickest server ACK of client data on this connection
        rtt = min(next((f["t"] - d["t"] for f in fr if f["n"] > d["n"] and f["ip.src"] == dst and
                        int(f["tcp.ack"] or 0) >= int(d["tcp.nxtseq"] or 0)), 9) for d in data)
        affected.add(e["client"])
        victims.append({"client": e["client"], "tcp_stream": int(req["tcp.stream"]),
                        "five_tuple": tuple5("tcp", e["client"], e["sport"], e["dst"], e["dport"]),
                        "request": "GET " + e["uri"], "server_think_time_configured_s": think[0],
                        "stall_s": r(stall, 3), "handshake_rtt_s": r(rtt),
                        "frames": {"request": req["n"], "server_ack_of_request": ack[0]["n"] if ack and
                                   ack[0]["tcp.len"] == "0" else None, "first_response_segment": resp["n"]}})
    rc = {"category": "server-think-time",
          "summary": "The application server %s needs %s to produce some API responses. The network is fast "
          "(handshake ~30 ms), the server's TCP stack ACKs the GET at once, then nothing comes until the "
          "application answers. Static files from the same server and pages from other servers are fast, and "
          "the client sends each request promptly." % (meta["server"], ", ".join(
              "%g s for %s" % (v, k) for k, v in meta["think"].items())),
          "culprit": {"host": meta["server"], "port": 80, "proto": "tcp", "timeout_s": None,
                      "urls": meta["think"], "role": "slow application backend"}}
    return rc, sorted(affected), sorted(set(meta["clients"]) - affected), victims, []


def sc_refused(meta, cap, ev):
    victims = []
    for e in (e for e in ev if e["ev"] == "connect" and e.get("result") == "error"):
        fr = cap.conn(e["client"], e["sport"], e["dst"], e["dport"])
        s = [f for f in fr if syn(f)]
        rs = [f for f in fr if rst(f) and f["ip.src"] == e["dst"]]
        if not s or not rs:
            fail("no SYN/RST for attempt %d" % e["attempt"])
        victims.append({"client": e["client"], "tcp_stream": int(s[0]["tcp.stream"]),
                        "five_tuple": tuple5("tcp", e["client"], e["sport"], e["dst"], e["dport"]),
                        "attempt": e["attempt"], "ttl_rst": rs[0]["ip.ttl"],
                        "frames": {"syn": s[0]["n"], "rst": rs[0]["n"]}, "stall_s": r(rs[0]["t"] - s[0]["t"])})
    if len(victims) < 2:
        fail("fewer than two refused attempts")
    ok = sorted({e["client"] for e in ev if e["ev"] == "http" and e.get("status") == "200"})
    affected = sorted({v["client"] for v in victims})
    rc = {"category": "connection-refused",
          "summary": "%s tries %s:%d, where nothing listens: each SYN is answered at once by RST/ACK from the "
          "server itself (same TTL and round-trip time as its other packets), and the application retries %d "
          "times. Web pages from the same server (port 80) work for %s." % (
              affected[0], meta["server"], meta["port"], len(victims), ", ".join(ok)),
          "culprit": {"host": meta["server"], "port": meta["port"], "proto": "tcp", "timeout_s": None,
                      "role": "closed port on the app server"}}
    return rc, affected, [c for c in ok if c not in affected], victims, []


def sc_mbreset(meta, cap, ev):
    victims = []
    for e in (e for e in ev if e["ev"] == "smtp" and e["result"] == "error"):
        fr = cap.conn(e["client"], e["sport"], e["dst"], e["dport"])
        s, sa = [f for f in fr if syn(f)][0], [f for f in fr if synack(f)][0]
        data = [f for f in fr if f["ip.src"] == e["client"] and f["tcp.len"] not in ("", "0")][-1]
        rs = [f for f in fr if rst(f) and f["ip.src"] == e["dst"]]
        if not rs:
            fail("no RST on %s" % e["sport"])
        rs = rs[0]
        ttl_server = sorted({f["ip.ttl"] for f in fr if f["ip.src"] == e["dst"] and not rst(f)})
        if rs["ip.ttl"] in ttl_server:
            fail("the RST's TTL equals the server's")
        victims.append({"client": e["client"], "tcp_stream": int(s["tcp.stream"]),
                        "five_tuple": tuple5("tcp", e["client"], e["sport"], e["dst"], e["dport"]),
                        "clues": {"handshake_rtt_s": r(sa["t"] - s["t"]), "ttl_server": ttl_server,
                                  "ttl_rst": rs["ip.ttl"], "rst_after_data_s": r(rs["t"] - data["t"], 6)},
                        "frames": {"syn": s["n"], "synack": sa["n"], "smtp_DATA": data["n"], "rst": rs["n"]},
                        "client_result": "error", "client_error_step": e["error_step"],
                        "stall_s": r(rs["t"] - data["t"], 6)})
    if not victims:
        fail("no reset SMTP session")
    ok = sorted({e["client"] for e in ev if e["ev"] == "smtp" and e["result"] == "ok"})
    affected = sorted({v["client"] for v in victims})
    v = victims[0]["clues"]
    rc = {"category": "middlebox-reset",
          "summary": "%s sends mail to %s:25. The SMTP dialogue with the real server works (its packets arrive "
          "with TTL %s after a %.0f ms round trip), but the moment the client sends DATA a 'mail security' rule on "
          "the site router %s answers with a TCP RST that claims to come from the server: TTL %s and %.1f ms "
          "after DATA, far less than one round trip. Mail from %s to the internal relay is not intercepted and "
          "succeeds." % (affected[0], meta["server"], ",".join(v["ttl_server"]), v["handshake_rtt_s"] * 1000,
                         meta["device"], v["ttl_rst"], v["rst_after_data_s"] * 1000, ", ".join(ok)),
          "culprit": {"host": meta["server"], "port": 25, "proto": "tcp", "timeout_s": None,
                      "device": meta["device"] + " (site router, injects RST with the server's address)",
                      "trigger": "SMTP DATA command"}}
    return rc, affected, ok, victims, []


def sc_synretx(meta, cap, ev):
    victims, affected = [], set()
    for e in (e for e in ev if e["ev"] == "connect" and "sport" in e):
        fr = cap.conn(e["client"], e["sport"], e["dst"], e["dport"])
        s = [f for f in fr if syn(f)]
        sa = [f for f in fr if synack(f)]
        if len(s) < 2 or not sa:
            continue
        affected.add(e["client"])
        victims.append({"client": e["client"], "tcp_stream": int(s[0]["tcp.stream"]),
                        "five_tuple": tuple5("tcp", e["client"], e["sport"], e["dst"], e["dport"]),
                        "syn_count": len(s), "stall_s": r(sa[0]["t"] - s[0]["t"], 3),
                        "frames": {"first_syn": s[0]["n"], "retransmitted_syn": s[1]["n"], "synack": sa[0]["n"]}})
    if not victims:
        fail("no SYN was retransmitted")
    rc = {"category": "syn-retransmission",
          "summary": "A firewall policy on the site router drops the first SYN of every new connection from %s. "
          "Linux retransmits the SYN after its initial RTO of 1 s, that one passes, so every connection of that "
          "PC starts 1 s late, whatever server it goes to. %s, talking to the same servers, connects in one round "
          "trip." % (", ".join(sorted(affected)), ", ".join(sorted(set(meta["clients"]) - affected))),
          "culprit": {"host": None, "port": None, "proto": "tcp", "timeout_s": 1.0,
                      "device": "192.168.77.1 (site router firewall, drops the first SYN of each connection from 192.168.77.11)",
                      "role": "lost SYN, retransmitted after the initial RTO"}}
    return rc, sorted(affected), sorted(set(meta["clients"]) - affected), victims, []


def sc_pmtu(meta, cap, ev):
    victims, affected, ok = [], set(), set()
    for e in (e for e in ev if e["ev"] == "http"):
        if "error" not in e:
            ok.add(e["client"])
            continue
        fr, req, before, resp = http_victim_frames(cap, e)
        big = [f for f in fr if f["ip.src"] == e["dst"] and int(f["ip.len"] or 0) > meta["mtu"]]
        if big:
            fail("a packet larger than the tunnel MTU reached the LAN")
        last = fr[-1]
        affected.add(e["client"])
        seen = sum(int(f["tcp.len"] or 0) for f in fr if f["ip.src"] == e["dst"])
        victims.append({"client": e["client"], "tcp_stream": int(req["tcp.stream"]),
                        "five_tuple": tuple5("tcp", e["client"], e["sport"], e["dst"], e["dport"]),
                        "request": "GET " + e["uri"], "bytes_from_server_seen": seen,
                        "client_gave_up_after_s": r(e["t_done"] - e["t_sent"], 3),
                        "stall_s": r(last["t"] - req["t"], 3), "tcp_analysis": analysis_counts(fr),
                        "frames": {"request": req["n"], "first_response": resp["n"] if resp else None,
                                   "last": last["n"]}})
    if not victims:
        fail("no download stalled")
    for f in cap.frames:
        if f["icmp.type"] == "3":
            fail("an ICMP unreachable reached the LAN")
    rc = {"category": "pmtu-blackhole",
          "summary": "The WAN behind the site router is a %d-byte tunnel. The download server sends full 1500-byte "
          "segments with DF set (both ends announced MSS 1460); the ISP router cannot forward them and its ICMP "
          "'fragmentation needed' messages are filtered, so the large segments vanish without a word. Small "
          "responses (below the tunnel MTU) and the last, short segment of a response get through; the transfer "
          "hangs until the client gives up. The same download from the intranet server, not through the tunnel, "
          "works." % meta["mtu"],
          "culprit": {"host": None, "port": None, "proto": "tcp", "timeout_s": None,
                      "link": "WAN tunnel (MTU %d) between 100.72.1.2 and 100.72.1.1" % meta["mtu"],
                      "behaviour": "drops packets over %d bytes with DF, no ICMP frag-needed" % meta["mtu"]}}
    return rc, sorted(affected), sorted(ok - affected), victims, []


def sc_zero(meta, cap, ev):
    victims, affected, ok = [], set(), set()
    for e in (e for e in ev if e["ev"] == "http"):
        fr, req, before, resp = http_victim_frames(cap, e)
        zw = [f for f in fr if f["tcp.analysis.zero_window"]]
        if not zw:
            ok.add(e["client"])
            continue
        affected.add(e["client"])
        counts = analysis_counts(fr)
        victims.append({"client": e["client"], "tcp_stream": int(req["tcp.stream"]),
                        "five_tuple": tuple5("tcp", e["client"], e["sport"], e["dst"], e["dport"]),
                        "request": "GET " + e["uri"], "receiver": e["client"],
                        "duration_s": r(fr[-1]["t"] - fr[0]["t"], 3), "tcp_analysis": counts,
                        "stall_s": r(e["t_done"] - e["t_first_byte"], 3),
                        "frames": {"request": req["n"], "first_zero_window": zw[0]["n"],
                                   "zero_windows": [f["n"] for f in zw][:50]}})
    if not victims:
        fail("no zero window")
    v = victims[0]
    rc = {"category": "zero-window",
          "summary": "The application on %s reads its download slowly (a small receive buffer, a few KB every "
          "quarter second). Its TCP window fills and it advertises a zero window %d times; the server has to wait "
          "and probe. The network and the server are fast: %s downloads the same file from the same server in a "
          "fraction of the time." % (v["client"], v["tcp_analysis"]["zero_window"], ", ".join(sorted(ok))),
          "culprit": {"host": v["client"], "port": v["five_tuple"]["sport"], "proto": "tcp", "timeout_s": None,
                      "role": "slow receiver (application does not read)"}}
    return rc, sorted(affected), sorted(ok), victims, []


def sc_hostile(meta, cap, ev):
    rc, aff, unaff, victims, checks = None, [], [], [], []
    for e in (e for e in ev if e["ev"] == "http"):
        fr, req, before, resp = http_victim_frames(cap, e)
        stall = resp["t"] - req["t"]
        if stall > 1.0:
            victims.append({"client": e["client"], "tcp_stream": int(req["tcp.stream"]),
                            "five_tuple": tuple5("tcp", e["client"], e["sport"], e["dst"], e["dport"]),
                            "request": "GET " + e["uri"], "stall_s": r(stall, 3),
                            "frames": {"request": req["n"], "first_response_segment": resp["n"]}})
    if not victims:
        fail("the hostile search request was not slow")
    rc = {"category": "server-think-time",
          "summary": "A test capture for output escaping: the HTTP request URIs, Host and User-Agent headers, the "
          "response headers and body and one DNS query name carry HTML markup and script. The server also thinks "
          "1.5 s before answering the /search request, so diagnose reports a finding whose text contains those "
          "strings. Every report (text, JSON, HTML) must show them as inert text.",
          "culprit": {"host": victims[0]["five_tuple"]["dst"], "port": 80, "proto": "tcp", "timeout_s": None},
          "hostile_strings": ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
                              "<script>alert(\"ua\")</script>", "<svg onload=alert(4)>",
                              "<script>alert(5)</script>.example", "javascript:alert(6)",
                              "</title><svg onload=alert(document.domain)>"]}
    return rc, sorted({v["client"] for v in victims}), [], victims, []


def v6_of(meta, clients):
    """The clients and, for the dual-stack ones, their IPv6 addresses: a machine is named by all its addresses."""
    out = []
    for c in clients:
        out.append(c)
        if meta.get("v6", {}).get(c):
            out.append(meta["v6"][c])
    return out


def sc_dual_stack(meta, cap, ev):
    rc, aff, others, victims, checks = sc_fail_open(meta, cap, ev)
    if not victims or any(":" not in v["five_tuple"]["src"] for v in victims):
        fail("the browser did not use IPv6 for every request")
    if not any(v["https"] for v in victims):
        fail("no HTTPS request among the victims")
    agent6 = meta["agent_client6"]
    if any(f["ip.src"] == agent6 and f["ip.dst"] == meta["filter"] for f in cap.frames):
        fail("the agent used IPv6")
    n_https = sum(1 for v in victims if v["https"])
    rc["summary"] = ("A dual-stack PC (%s and %s, one MAC): its browser reaches the web servers over IPv6 (HTTP and "
                     "HTTPS), while the endpoint web-protection agent on the same PC holds every request after the "
                     "handshake and first asks its URL-filter server %s:%d over IPv4. The router silently drops the "
                     "HQ prefix (site-to-site VPN down), so the agent's SYNs get no answer; after %g s it fails open "
                     "and the request goes out. Every request of the page (%d, %d of them over HTTPS) waits %g s on "
                     "the IPv6 connections because of IPv4 attempts of the same machine. %s fetch the same page at once "
                     "(PC-EMIL dual-stack over IPv6 too, PC-FRIDA over IPv4)." % (
                         aff[0], agent6, meta["filter"], meta["filter_port"], meta["timeout_s"], len(victims), n_https,
                         meta["timeout_s"], " and ".join(others)))
    rc["culprit"]["affected_machine"] = {"addresses": [aff[0], agent6], "mac": "a4:bb:6d:5e:10:11"}
    return rc, v6_of(meta, aff), v6_of(meta, others), victims, checks


def sc_ipv6_broken(meta, cap, ev):
    to, server6, client, client6 = meta["timeout_s"], meta["server6"], meta["client"], meta["client6"]
    conns = [e for e in ev if e["ev"] == "connect" and e["client"] == client]
    failed = sorted((e for e in conns if e.get("error") and e.get("fallback")), key=lambda e: e["t0"])
    ok = [e for e in conns if not e.get("error")]
    victims, used, ports = [], set(), set()
    for e in failed:
        if e["dst"] != server6:
            fail("an IPv6 connect to %s failed" % e["dst"])
        cand = [o for o in ok if o["dport"] == e["dport"] and ":" not in o["dst"] and id(o) not in used and
                0 <= o["t0"] - e["t1"] < 0.05]
        if not cand:
            fail("no IPv4 connection after the failed IPv6 connect from port %s" % e["sport"])
        o = min(cand, key=lambda o: o["t0"] - e["t1"])
        used.add(id(o))
        syns6 = [f for f in cap.conn(client6, e["sport"], server6, e["dport"]) if syn(f)]
        if len(cap.conn(client6, e["sport"], server6, e["dport"])) != len(syns6) or not syns6:
            fail("the IPv6 attempt from port %s got an answer or left no SYN" % e["sport"])
        fr4 = cap.conn(o["src"], o["sport"], o["dst"], o["dport"])
        syn4 = [f for f in fr4 if syn(f)]
        sa4 = [f for f in fr4 if synack(f)]
        if not syn4 or not sa4:
            fail("the IPv4 fallback from port %s did not connect" % o["sport"])
        stall = syn4[0]["t"] - syns6[0]["t"]
        if not (to - 0.05 <= stall <= to + 0.3):
            fail("IPv4 SYN %.3f s after the first IPv6 SYN (fallback %g s)" % (stall, to))
        ports.add(e["dport"])
        victims.append({
            "client": client, "tcp_stream": int(syn4[0]["tcp.stream"]),
            "five_tuple": tuple5("tcp", o["src"], o["sport"], o["dst"], o["dport"]), "host": o["host"],
            "https": bool(o.get("tls")), "stall_s": r(stall, 3),
            "stall_measured_from": "first IPv6 SYN to the IPv4 SYN of the fallback connection",
            "culprit_connection": tuple5("tcp", client6, e["sport"], server6, e["dport"]),
            "frames": {"ipv6_syns": [f["n"] for f in syns6], "ipv4_syn": syn4[0]["n"], "ipv4_synack": sa4[0]["n"]}})
    if len(victims) < 3:
        fail("fewer than three fallbacks")
    if not {80, 443} <= ports:
        fail("no fallback for HTTP and HTTPS both")
    others = sorted(set(meta["clients"]) - {client})
    ok6 = [e for e in ev if e["ev"] == "connect" and e["client"] in others and e["dst"] == server6 and not e.get("error")]
    if not ok6:
        fail("no unaffected PC reached %s over IPv6" % server6)
    for e in ev:
        if e["ev"] == "connect" and e["client"] in others and e.get("error"):
            fail("unaffected %s had a failed connect" % e["client"])
    culprit = {}
    for p, role in ((80, "http"), (443, "https")):
        if p in ports:
            culprit[role] = {"host": server6, "port": p, "proto": "tcp", "timeout_s": to,
                             "role": "IPv6 address of the web server, unreachable from %s" % client6,
                             "behaviour": "SYNs silently dropped (no SYN/ACK, RST or ICMPv6)",
                             "client": client6}
    rc = {"category": "ipv6-broken",
          "summary": "PC-DORA is dual-stack (%s and %s). Its IPv6 path to %s (www/secure.northwind.example) silently "
          "drops SYNs (the router's IPv6 policy lacks a rule for the PC's address). Its applications connect to the "
          "addresses in getaddrinfo's order, IPv6 first, wait %g s for the IPv6 connection, give up and connect "
          "over IPv4, which works at once: every connection to that server, HTTP and HTTPS (%d of them), starts "
          "%g s late. Its IPv6 to the CDN works. PC-EMIL reaches the same IPv6 address at once; PC-FRIDA has "
          "IPv4 only." % (client, client6, server6, to, len(victims), to),
          "culprit": culprit, "culprits": [dict(c, category="ipv6-broken") for c in culprit.values()]}
    return rc, v6_of(meta, [client]), v6_of(meta, others), victims, []


def sc_nagle(meta, cap, ev):
    client = meta["client"]
    victims, culprit, waits_ok = [], {}, []
    byconn = {}
    for e in ev:
        if e["ev"] == "http" and e.get("method") == "POST":
            byconn.setdefault((e["client"], e["src"], e["sport"], e["dst"], e["dport"]), []).append(e)
    for (c, src, sport, dst, dport), es in sorted(byconn.items()):
        fr = cap.conn(src, sport, dst, dport)
        data = [f for f in fr if f["ip.src"] == src and f["tcp.len"] not in ("", "0")]
        waits, examples, acks = [], [], []
        # the body segments by their size (TLS 1.3 adds 22 bytes to a record); each request's head is the client
        # segment just before its body
        size = str(meta["body"] + (22 if es[0].get("tls") else 0))
        bodies = [i for i, f in enumerate(data) if f["tcp.len"] == size and i > 0]
        # (the first request over TLS may leave as one segment: Nagle held its head behind the client's Finished)
        if not len(es) - 1 <= len(bodies) <= len(es):
            fail("%d request bodies of %s bytes on %s:%s, %d requests" % (len(bodies), size, src, sport, len(es)))
        for i in bodies:
            h, b = data[i - 1], data[i]
            ack = [f for f in fr if h["n"] < f["n"] <= b["n"] and f["ip.src"] == dst and f["tcp.ack"] == h["tcp.nxtseq"]]
            waits.append(b["t"] - h["t"])
            if ack:
                acks.append(ack[0]["t"] - h["t"])
            if len(examples) < 5:
                examples.append({"head": h["n"], "server_ack": ack[0]["n"] if ack else None, "body": b["n"]})
        waits.sort()
        med = waits[len(waits) // 2]
        if c != client:
            if med > 0.005:
                fail("the TCP_NODELAY client %s waited %.3f s per body" % (c, med))
            waits_ok.append(med)
            continue
        if med < 0.02:
            fail("median Nagle wait %.3f s on %s:%s" % (med, src, sport))
        tls = bool(es[0].get("tls"))
        # the path's round trip: the quickest server ACK of client data on this connection
        rtt = min(next((f["t"] - d["t"] for f in fr if f["n"] > d["n"] and f["ip.src"] == dst and
                        int(f["tcp.ack"] or 0) >= int(d["tcp.nxtseq"] or 0)), 9) for d in data)
        victims.append({"client": c, "tcp_stream": int(fr[0]["tcp.stream"]),
                        "five_tuple": tuple5("tcp", src, sport, dst, dport), "https": tls,
                        "requests": len(es), "stall_s": r(med, 4), "median_wait_s": r(med, 4),
                        "total_wait_s": r(sum(waits), 3), "handshake_rtt_s": r(rtt, 5),
                        "median_server_ack_delay_s": r(sorted(acks)[len(acks) // 2], 4) if acks else None,
                        "stall_measured_from": "request head segment to the body segment Nagle held back",
                        "frames": {"examples": examples}})
        culprit["https" if tls else "http"] = {
            "host": client, "port": dport, "proto": "tcp", "server": dst,
            "role": "client application writing each request in two small sends with Nagle on",
            "median_wait_s": r(med, 4)}
    if len(victims) < 2 or not waits_ok:
        fail("expected an HTTP and an HTTPS connection from %s and a clean comparison" % client)
    tot = sum(v["total_wait_s"] for v in victims)
    rc = {"category": "nagle-delayed-ack",
          "summary": "An order-entry client on %s POSTs each request in two writes (the header block, then a small "
          "body) with Nagle's algorithm on. The body may not leave until the server acknowledges the header "
          "segment, and the server's TCP delays that ACK (delayed ACK, ~40 ms on Linux): each of %d requests over "
          "HTTP and HTTPS to %s waits about %.0f ms, %.1f s in total, on a path with a %.2g ms round trip. %s runs the same client with TCP_NODELAY and its bodies leave at once." % (
              client, sum(v["requests"] for v in victims), meta["server"],
              1000 * sorted(v["median_wait_s"] for v in victims)[0], tot, 1000 * victims[0]["handshake_rtt_s"],
              ", ".join(sorted(set(meta["clients"]) - {client}))),
          "culprit": culprit, "culprits": [dict(c, category="nagle-delayed-ack") for c in culprit.values()]}
    return rc, [client], sorted(set(meta["clients"]) - {client}), victims, []


def sc_dns_slow(meta, cap, ev):
    slow, delay = meta["slow"], meta["delay_s"]
    victims, affected = [], set()
    for q in cap.frames:
        if q["ip.dst"] != slow or q["udp.dstport"] != "53" or q["dns.flags.response"] not in ("0", "False"):
            continue
        a = [f for f in cap.frames if f["n"] > q["n"] and f["ip.src"] == slow and f["ip.dst"] == q["ip.src"] and
             f["udp.dstport"] == q["udp.srcport"] and f["dns.id"] == q["dns.id"]]
        if not a:
            fail("query %s to the slow resolver not answered" % q["dns.qry.name"])
        wait = a[0]["t"] - q["t"]
        if not (delay - 0.02 <= wait <= delay + 0.3):
            fail("the slow resolver answered after %.3f s" % wait)
        affected.add(q["ip.src"])
        victims.append({"client": q["ip.src"], "query": {"name": q["dns.qry.name"], "type": q["dns.qry.type"]},
                        "five_tuple": tuple5("udp", q["ip.src"], q["udp.srcport"], slow, 53), "stall_s": r(wait, 3),
                        "frames": {"query": q["n"], "answer": a[0]["n"]}})
    if len(victims) < 3:
        fail("fewer than three slow lookups")
    for q in cap.frames:
        if q["ip.src"] in set(meta["clients"]) - affected and q["udp.dstport"] == "53":
            a = [f for f in cap.frames if f["n"] > q["n"] and f["ip.dst"] == q["ip.src"] and
                 f["udp.dstport"] == q["udp.srcport"] and f["dns.id"] == q["dns.id"]]
            if not a or a[0]["t"] - q["t"] > 0.1:
                fail("an unaffected PC waited for DNS")
    https = sorted({e["host"] for e in ev if e["ev"] == "http" and e.get("tls") and e["client"] in affected})
    if not https:
        fail("no HTTPS request")
    rc = {"category": "dns-slow-response",
          "summary": "%s uses the resolver %s, a forwarder that answers every query correctly but only after about "
          "%g s (overloaded, recursing to a far-away upstream). Every new name costs that before the connection "
          "starts, over HTTP and HTTPS (%s) alike; %d lookups wait. The other PCs use the data centre's normal "
          "resolver and get the same answers in a millisecond." % (
              ", ".join(sorted(affected)), slow, delay, ", ".join(https), len(victims)),
          "culprit": {"host": slow, "port": 53, "proto": "udp", "timeout_s": None, "delay_s": delay,
                      "role": "slow DNS resolver (answers, late)"}}
    return rc, sorted(affected), sorted(set(meta["clients"]) - affected), victims, []


def sc_window(meta, cap, ev):
    victims, affected, ok, rates = [], set(), set(), {}
    for e in (e for e in ev if e["ev"] == "http"):
        if e.get("status") != "200":
            fail("download %s failed" % e["uri"])
        src = e.get("src") or e["client"]
        fr = cap.conn(src, e["sport"], e["dst"], e["dport"])
        down = [f for f in fr if f["ip.src"] == e["dst"] and f["tcp.len"] not in ("", "0")]
        counts = analysis_counts(fr)
        if counts["retransmissions"] - counts["spurious_retransmissions"] or counts["previous_segment_not_captured"] or \
                counts["zero_window"]:
            fail("loss or a zero window on %s:%s: not what this scenario is about" % (src, e["sport"]))
        dur = down[-1]["t"] - down[0]["t"]
        wins = sorted(int(f["tcp.window_size"] or 0) for f in fr if f["ip.src"] == src and f["tcp.flags"] != "0x0002")
        # data segments sent with the receiver's window (nearly) used up: less than a full segment of it left
        at_edge, win = 0, None
        for f in fr:
            if f["ip.src"] == src:
                win = int(f["tcp.window_size"] or 0)
            elif f["tcp.len"] not in ("", "0") and win is not None and f["tcp.analysis.bytes_in_flight"]:
                if int(f["tcp.analysis.bytes_in_flight"]) + 1448 > win:
                    at_edge += 1
        counts["at_window_edge"] = at_edge
        v = {"client": e["client"], "tcp_stream": int(fr[0]["tcp.stream"]),
             "five_tuple": tuple5("tcp", src, e["sport"], e["dst"], e["dport"]), "request": "GET " + e["uri"],
             "https": bool(e.get("tls")), "bytes_from_server": sum(int(f["tcp.len"]) for f in down),
             "transfer_s": r(dur, 3), "max_receive_window": wins[-1] if wins else None,
             "segments_at_window_edge": at_edge, "data_segments": len(down), "stall_s": r(dur, 3),
             "frames": {"first_data": down[0]["n"], "last_data": down[-1]["n"]}}
        rates.setdefault(e["client"], []).append(dur)
        if e["client"] == meta["clients"][0]:
            # the round trip: the server's quickest ACK of the client's data (the first handshake may include ARP)
            acks = [float(f["tcp.analysis.ack_rtt"]) for f in fr if f["tcp.analysis.ack_rtt"] and f["ip.src"] == e["dst"] and
                    float(f["tcp.analysis.ack_rtt"]) >= 0.001]
            rtt = min(acks + [[f for f in fr if synack(f)][0]["t"] - [f for f in fr if syn(f)][0]["t"]])
            rate, cap_rate = v["bytes_from_server"] / dur, wins[-1] / rtt
            v["rate_bytes_s"], v["window_rate_cap_bytes_s"] = round(rate), round(cap_rate)
            if not 0.5 * cap_rate <= rate <= 1.3 * cap_rate:
                fail("rate %.0f B/s is not the window's cap %.0f B/s on %s:%s" % (rate, cap_rate, src, e["sport"]))
            affected.add(e["client"])
            victims.append(v)
        else:
            ok.add(e["client"])
    slow, fast = max(rates[meta["clients"][0]]), max(d for c, ds in rates.items() if c != meta["clients"][0] for d in ds)
    if slow < 3 * fast:
        fail("the small-window downloads (%.3f s) are not much slower than the others (%.3f s)" % (slow, fast))
    v = victims[0]
    rc = {"category": "window-limited",
          "summary": "The download tool on %s sets a %d-byte socket receive buffer (which also switches off receive-window "
          "autotuning) and reads as fast as data arrives. Its TCP never offers more than %d bytes of window, so the server "
          "sends a window's worth, waits a round trip for the ACK, and again: throughput is capped at window / RTT, with "
          "no loss and no zero window. Its %d downloads of %d bytes (HTTP and HTTPS) take %.2f s each; %s downloads the "
          "same files from the same server in %.2f s." % (
              v["client"], meta["rcvbuf"], v["max_receive_window"], len(victims), meta["size"], slow,
              ", ".join(sorted(ok)), fast),
          "culprit": {"host": v["client"], "port": None, "proto": "tcp", "timeout_s": None,
                      "role": "receiver whose small receive window caps throughput",
                      "receive_buffer": meta["rcvbuf"]}}
    return rc, sorted(affected), sorted(ok), victims, []


def sc_tls_crl(meta, cap, ev):
    """TLS 1.3 held by a CRL fetch: the held flight is the client's first data after the server's first data (its
    Finished), not a ClientKeyExchange as in TLS 1.2."""
    to, crl, client = meta["timeout_s"], meta["ocsp"], meta["agent_client"]
    victims = []
    for e in sorted((e for e in ev if e["ev"] == "tls" and e["client"] == client), key=lambda e: e["t_connected"]):
        oc = e.get("ocsp")
        if not oc or oc["result"] != "timeout":
            fail("the CRL fetch did not time out: %s" % oc)
        fr = cap.conn(e["client"], e["sport"], e["dst"], e["dport"])
        sdata = [f for f in fr if f["ip.src"] == e["dst"] and f["tcp.len"] not in ("", "0")]
        held = [f for f in fr if f["ip.src"] == client and f["tcp.len"] not in ("", "0") and sdata and f["n"] > sdata[0]["n"]]
        if not held:
            fail("no client flight after the server's on %s" % e["sport"])
        held = held[0]
        before = [f for f in fr if f["n"] < held["n"]][-1]
        syns = [f for f in cap.where(ip_src=client, ip_dst=crl, tcp_srcport=oc["sport"], tcp_dstport=meta["ocsp_port"]) if syn(f)]
        if not syns:
            fail("no SYN to the CRL server")
        from_syn = held["t"] - syns[0]["t"]
        if not (to - 0.05 <= from_syn <= to + 0.5):
            fail("the client's Finished came %.3f s after the CRL SYN" % from_syn)
        victims.append({
            "client": client, "tcp_stream": int(held["tcp.stream"]),
            "five_tuple": tuple5("tcp", client, e["sport"], e["dst"], e["dport"]), "request": "GET " + e["uri"],
            "sni": e["host"], "tls": "1.3", "stall_s": r(held["t"] - before["t"], 3), "stall_from_first_culprit_syn_s": r(from_syn, 3),
            "stall_measured_from": "last packet of the server's flight (its Finished)",
            "frames": {"before_stall": before["n"], "client_finished": held["n"], "culprit_syns": [f["n"] for f in syns]},
            "culprit_connection": tuple5("tcp", client, oc["sport"], crl, meta["ocsp_port"])})
    if any(f["ip.src"] == crl for f in cap.frames):
        fail("the CRL server answered")
    others = sorted({e["client"] for e in ev if e["ev"] in ("tls", "http") and e["client"] != client})
    for c in others:
        if any(f["ip.src"] == c and f["ip.dst"] == crl for f in cap.frames):
            fail("%s contacted the CRL server" % c)
    rc = {"category": "blocked-on-unreachable-dependency",
          "summary": "The TLS stack on %s fetches the certificate's CRL (distribution point "
          "http://crl.northwind-ca.example/northwind-root.crl) before it finishes each TLS 1.3 handshake. The CRL "
          "server %s:%d is unreachable and silently dropped; after the server's flight (ServerHello ... Finished) the "
          "client looks it up, sends SYNs that get no answer, waits %g s, soft-fails and only then sends its Finished. "
          "Each of %d HTTPS connections starts %g s late. %s, without online revocation checks, connect at once." % (
              client, crl, meta["ocsp_port"], to, len(victims), to, " and ".join(others)),
          "culprit": {"host": crl, "port": meta["ocsp_port"], "proto": "tcp", "timeout_s": to,
                      "role": "CRL distribution point of the server certificate's CA",
                      "behaviour": "no SYN/ACK, no RST, no ICMP (silently dropped)"}}
    return rc, [client], others, victims, []


SCENARIOS = {"http": sc_http, "fail-open": sc_fail_open, "fail-open-arp": sc_fail_open_arp, "tls-ocsp": sc_tls_ocsp, "dns-server-timeout": sc_dns, "packet-loss": sc_loss,
             "server-think-time": sc_think, "connection-refused": sc_refused, "middlebox-reset": sc_mbreset,
             "syn-retransmission": sc_synretx, "pmtu-blackhole": sc_pmtu, "zero-window": sc_zero,
             "hostile-http": sc_hostile, "office-mix": sc_office_mix, "dual-stack": sc_dual_stack,
             "ipv6-broken": sc_ipv6_broken, "nagle-delayed-ack": sc_nagle, "dns-slow": sc_dns_slow,
             "window-limited": sc_window, "tls-crl": sc_tls_crl}


def main():
    sdir, out, capname = sys.argv[1:4]
    meta = json.load(open(os.path.join(sdir, "scenario.json")))
    meta["dir"] = sdir
    ev = []
    for p in sorted(glob.glob(os.path.join(sdir, "events-*.jsonl"))):
        ev += [json.loads(line) for line in open(p) if line.strip()]
    cap = Capture(os.path.join(sdir, "capture.pcapng"))
    rc, affected, unaffected, victims, checks = SCENARIOS[meta["name"]](meta, cap, ev)
    # the comparison group must really have been fine: on a busy machine the lab's own programs can be slow
    for e in ev:
        if e.get("client") not in unaffected:
            continue
        if e["ev"] == "http" and "t_first_byte" in e and e["t_first_byte"] - e["t_sent"] > 0.5:
            fail("unaffected %s waited %.3f s for %s (machine too busy? run again)" % (
                e["client"], e["t_first_byte"] - e["t_sent"], e["uri"]))
        if e["ev"] == "connect" and "sport" in e and e["t1"] - e["t0"] > 0.5:
            fail("unaffected %s needed %.3f s to connect to %s (machine too busy? run again)" % (
                e["client"], e["t1"] - e["t0"], e["dst"]))
    used = {f["ip.src"] for f in cap.frames} | {f["ip.dst"] for f in cap.frames}
    truth = {
        "scenario": meta["name"],
        "made_by": "lab/run.sh %s (wirewatch lab, Linux network namespaces)" % meta["name"],
        "capture": {"file": capname, "format": "pcapng",
                    "captured_with": "tcpdump (promiscuous) on the client LAN bridge, which floods like a hub",
                    "packets": len(cap.frames), "duration_s": r(cap.frames[-1]["t"] - cap.frames[0]["t"], 3),
                    "first_epoch": cap.frames[0]["t"], "frame_numbering": "tshark frame.number (1-based)"},
        "lan": {"gateway": "192.168.77.1", "clients": meta["clients"]},
        "root_cause": rc,
        "affected_clients": affected,
        "unaffected_clients": unaffected,
        "hosts": {k: v for k, v in HOSTS.items() if k in used},
        "victims": victims,
        "checks": checks,
        "lab": {"wall_time_s": meta.get("wall_time_s"), "events": len(ev),
                "knobs": meta.get("knobs"),
                "clients_are": "Linux (glibc resolver, resolv.conf options timeout:%s attempts:2; initial SYN RTO 1 s)"
                % (meta.get("knobs") or {}).get("DNS_TIMEOUT", 3)},
    }
    with open(out, "w") as f:
        json.dump(truth, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

// The two small Python programs the lab runs inside namespaces: a listener that
// answers with its pod's name (so the prober knows who answered), and a prober
// that makes real TCP connections / UDP exchanges and reports what happened.

/**
 * listen.py NAME READY_FILE PORT/PROTO...
 * Answers every connection (TCP) or datagram (UDP) with `NAME SOURCE-IP`: who
 * answered, and the address the connection came from as this pod saw it (after
 * any SNAT/MASQUERADE on the way). Touches READY_FILE once every socket is bound.
 */
export const LISTENER_PY = String.raw`import socket, sys, threading
name, ready, specs = sys.argv[1], sys.argv[2], sys.argv[3:]

def answer(peer):
    return ("%s %s\n" % (name, peer[0])).encode()

def tcp(s):
    while True:
        c, peer = s.accept()
        try:
            c.sendall(answer(peer))
        except OSError:
            pass
        finally:
            c.close()

def udp(s):
    while True:
        _, peer = s.recvfrom(2048)
        s.sendto(answer(peer), peer)

threads = []
for spec in specs:
    port, proto = spec.split("/")
    kind = socket.SOCK_STREAM if proto == "TCP" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(port)))
    if proto == "TCP":
        # Room for every try of several probes at once (the differential's switched-off passes): a SYN
        # dropped by a full accept queue would be retried after a second, past the probe's timeout.
        s.listen(1024)
    threads.append(threading.Thread(target=tcp if proto == "TCP" else udp, args=(s,), daemon=True))
for t in threads:
    t.start()
open(ready, "w").close()
for t in threads:
    t.join()
`;

/**
 * probe.py [--json]: reads lines `LABEL<TAB>IP<TAB>PORT<TAB>PROTO<TAB>TRIES[<TAB>TIMEOUT]` on stdin,
 * makes TRIES connections for each and prints one line per path:
 *   LABEL: answered by default/web-1 (saw 10.244.0.2), default/web-2 (saw 10.244.0.1) (30 tries)
 *   LABEL: refused | no answer (timed out) | unreachable (ENETUNREACH) ...
 * ("saw": the source address the answering pod saw, after any SNAT on the way.)
 * With --json, one JSON object per path instead:
 *   {"label":…, "answers":{"default/web-1":14,…}, "seen":{"default/web-1":["10.244.0.2"]},
 *    "refused":0, "timeout":0, "errors":{…}, "tries":30}
 * and, when some were refused, "refusedBy": {"rst": n, "icmp 3/3": n} (a TCP reset, or the
 * ICMP error's type/code the kernel queued with IP_RECVERR; UDP is only ever refused by ICMP).
 */
export const PROBER_PY = String.raw`import errno, json, selectors, socket, struct, sys, time
as_json = "--json" in sys.argv[1:]
# linux/in.h: path MTU discovery, the ICMP error queue, and a connected socket's path MTU.
IP_MTU_DISCOVER, IP_PMTUDISC_DO, IP_RECVERR, IP_MTU = 10, 2, 11, 14

def sized(ip, port, size, timeout):
    """One UDP datagram making an IP packet of SIZE bytes, Don't Fragment set: the
    answer, or where it stopped: send() refused it (EMSGSIZE, the socket's path MTU),
    or a router's ICMP error (its type, code, the MTU it carries, and who sent it)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)
    s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
    s.settimeout(timeout)
    out = {}
    try:
        s.connect((ip, port))
        try:
            s.send(b"s" * (size - 28))
        except OSError as e:
            out["sendError"] = errno.errorcode.get(e.errno, str(e.errno))
            try:
                out["mtu"] = s.getsockopt(socket.IPPROTO_IP, IP_MTU)
            except OSError:
                pass
            return out
        try:
            data = s.recv(256).decode(errors="replace").split()
            out["answer"] = data
        except socket.timeout:
            out["timeout"] = True
        except OSError as e:
            out["recvError"] = errno.errorcode.get(e.errno, str(e.errno))
            try:
                _, anc, _, _ = s.recvmsg(2048, 1024, socket.MSG_ERRQUEUE)
                for level, kind, data in anc:
                    if level == socket.IPPROTO_IP and kind == IP_RECVERR and len(data) >= 24:
                        # struct sock_extended_err, then the offender's sockaddr_in.
                        _, origin, icmp_type, icmp_code, _, info, _ = struct.unpack("=IBBBBII", data[:16])
                        out["icmp"] = {"type": icmp_type, "code": icmp_code, "mtu": info, "from": socket.inet_ntoa(data[20:24])}
            except OSError:
                pass
        return out
    finally:
        s.close()

def refused_by(s):
    """What refused a TCP connect: an ICMP error the kernel queued (IP_RECVERR: origin ICMP,
    its type/code), or, with nothing queued, the peer's TCP reset."""
    try:
        _, anc, _, _ = s.recvmsg(1, 512, socket.MSG_ERRQUEUE)
    except OSError:
        return "rst"
    for level, kind, data in anc:
        # struct sock_extended_err: ee_errno (4 bytes), ee_origin, ee_type, ee_code.
        if level == socket.IPPROTO_IP and kind == IP_RECVERR and len(data) >= 8 and data[4] == 2:
            return "icmp %d/%d" % (data[5], data[6])
    return "rst"

def tries_at_once(ip, port, proto, tries, timeout):
    """TRIES connections (TCP) or exchanges (UDP) to ip:port, all in flight at once, each
    from its own source port, so kube-proxy picks an endpoint for each independently
    (as it would for one after another) and a path that breaks costs one TIMEOUT, not
    TRIES of them. Returns one outcome per try: ("answer", [who, saw]), ("refused", "rst" or "icmp T/C"),
    ("timeout", None) or ("error", "EHOSTUNREACH"...)."""
    out = []
    sel = selectors.DefaultSelector()
    for _ in range(tries):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if proto == "TCP" else socket.SOCK_DGRAM)
        s.setblocking(False)
        try:
            if proto == "TCP":
                # An ICMP error that refuses the connect is queued where refused_by reads it (a reset is not).
                s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
                err = s.connect_ex((ip, port))
                if err not in (0, errno.EINPROGRESS):
                    raise OSError(err, errno.errorcode.get(err, str(err)))
                sel.register(s, selectors.EVENT_WRITE, ["connecting", time.monotonic() + timeout])
            else:
                s.connect((ip, port))
                s.send(b"probe\n")
                sel.register(s, selectors.EVENT_READ, ["reading", time.monotonic() + timeout])
        except OSError as e:
            how = refused_by(s) if proto == "TCP" and e.errno == errno.ECONNREFUSED else "icmp 3/3"
            s.close()
            out.append(("refused", how) if e.errno == errno.ECONNREFUSED else ("error", errno.errorcode.get(e.errno, str(e.errno))))
    # Each gets TIMEOUT to connect and TIMEOUT more to be answered, as one at a time did.
    def done(s, outcome):
        sel.unregister(s)
        s.close()
        out.append(outcome)
    while sel.get_map():
        now = time.monotonic()
        for key in list(sel.get_map().values()):
            if key.data[1] <= now:
                done(key.fileobj, ("timeout", None))
        if not sel.get_map():
            break
        for key, _ in sel.select(max(0, min(k.data[1] for k in sel.get_map().values()) - now)):
            s = key.fileobj
            if key.data[0] == "connecting":
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err == 0:
                    sel.modify(s, selectors.EVENT_READ, ["reading", time.monotonic() + timeout])
                elif err == errno.ECONNREFUSED:
                    done(s, ("refused", refused_by(s)))
                else:
                    done(s, ("error", errno.errorcode.get(err, str(err))))
                continue
            try:
                data = s.recv(256).decode(errors="replace").strip()
            except ConnectionRefusedError:
                # A UDP exchange: only an ICMP error refuses it.
                done(s, ("refused", "icmp 3/3" if proto != "TCP" else refused_by(s)))
                continue
            except OSError as e:
                done(s, ("error", errno.errorcode.get(e.errno, str(e.errno))))
                continue
            done(s, ("answer", data.split()) if data else ("timeout", None))
    sel.close()
    return out

for line in sys.stdin:
    line = line.rstrip("\n")
    if not line:
        continue
    parts = line.split("\t")
    label, ip, port, proto, tries = parts[:5]
    # An optional seventh field: the IP packet's size (UDP, Don't Fragment set); the answer is one JSON object.
    if len(parts) > 6:
        print(json.dumps({"label": label, "sized": sized(ip, int(port), int(parts[6]), float(parts[5]))}), flush=True)
        continue
    # An optional sixth field: the seconds to wait for an answer (the kernel differential
    # shortens it when it expects paths to break).
    timeout = float(parts[5]) if len(parts) > 5 else 1.0
    result = {"label": label, "answers": {}, "seen": {}, "refused": 0, "timeout": 0, "errors": {}, "tries": int(tries)}
    for kind, detail in tries_at_once(ip, int(port), proto, int(tries), timeout):
        if kind == "answer":
            who, saw = detail[0], (detail[1] if len(detail) > 1 else "?")
            result["answers"][who] = result["answers"].get(who, 0) + 1
            seen = result["seen"].setdefault(who, [])
            if saw not in seen:
                seen.append(saw)
        elif kind == "error":
            result["errors"][detail] = result["errors"].get(detail, 0) + 1
        elif kind == "refused":
            result["refused"] += 1
            by = result.setdefault("refusedBy", {})
            by[detail] = by.get(detail, 0) + 1
        else:
            result[kind] += 1
    time.sleep(0.05)  # let the last FIN/ACKs go before anyone reads counters
    if as_json:
        print(json.dumps(result), flush=True)
        continue
    parts = []
    if result["answers"]:
        parts.append("answered by " + ", ".join("%s (saw %s)" % (who, ", ".join(result["seen"][who])) for who in sorted(result["answers"])))
    if result["refused"]:
        parts.append("refused" + (" %d times" % result["refused"] if result["answers"] else ""))
    if result["timeout"]:
        parts.append("no answer (timed out)" + (" %d times" % result["timeout"] if result["answers"] else ""))
    for e, n in sorted(result["errors"].items()):
        parts.append("unreachable (%s)" % e)
    suffix = " (%s tries)" % tries if int(tries) > 1 else ""
    # One write per line: the probers of several sources share the script's stdout (a pipe keeps a short write whole).
    sys.stdout.write("%s: %s%s\n" % (label, "; ".join(parts), suffix))
    sys.stdout.flush()
`;

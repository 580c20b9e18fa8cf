#!/usr/bin/env python3
"""Writes fuzz seeds taken from the real captures in tests/data/captures.

For each capture: every PPTP control message (TCP/1723 payload, split on the
length field), every GRE packet, every PPP frame inside PPTP GRE and every PPP
control packet becomes a seed file of the matching harness, named
cap-<capture>-<n>.  Run from the repository root; it only reads the captures
and (re)writes those seed files.  Classic pcap only (both byte orders), with
Ethernet/802.1Q, IPv4, IPv6 and IP-in-IP, which is what the captures hold.
"""
import os
import struct
import sys

CAPS = "tests/data/captures"
OUT = "fuzz/corpus"
PROTO_IDX = {0xC021: 0, 0x8021: 1, 0x8057: 2, 0x80FD: 3}   # fuzz_ppp_cp's selector
DLT_IDX = {1: 0, 113: 1, 276: 2, 101: 3, 0: 4, 108: 5, 228: 6, 229: 7}  # fuzz_inspect


def packets(path):
    data = open(path, "rb").read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise SystemExit(f"{path}: not a classic pcap")
    linktype = struct.unpack(e + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        yield linktype, data[off + 16:off + 16 + incl]
        off += 16 + incl


def ip_payload(b, depth=0):
    """Returns (proto, payload) of the innermost IP packet, or None."""
    if depth > 3 or not b:
        return None
    v = b[0] >> 4
    if v == 4 and len(b) >= 20:
        ihl = (b[0] & 15) * 4
        tot = min(struct.unpack(">H", b[2:4])[0], len(b))
        proto, pl = b[9], b[ihl:tot]
    elif v == 6 and len(b) >= 40:
        proto, pl = b[6], b[40:40 + struct.unpack(">H", b[4:6])[0]]
    else:
        return None
    if proto in (4, 41):
        return ip_payload(pl, depth + 1)
    return proto, pl


def link_payload(linktype, f):
    if linktype == 1:                       # Ethernet, with VLAN tags
        et, off = struct.unpack(">H", f[12:14])[0], 14
        while et in (0x8100, 0x88A8) and off + 4 <= len(f):
            et, off = struct.unpack(">H", f[off + 2:off + 4])[0], off + 4
        return f[off:] if et in (0x0800, 0x86DD) else None
    if linktype in (101, 228, 229):         # raw IP
        return f
    return None


def main():
    seeds = {k: [] for k in ("fuzz_pptp_ctrl", "fuzz_gre", "fuzz_ppp_frame",
                             "fuzz_ppp_cp", "fuzz_chap", "fuzz_ppp_session",
                             "fuzz_inspect")}
    session = {}
    for name in sorted(os.listdir(CAPS)):
        path = os.path.join(CAPS, name)
        if not os.path.isfile(path) or not name.endswith(("cap", "pcap")):
            continue
        tag = name.split(".")[0]
        for linktype, frame in packets(path):
            # fuzz_inspect: the whole frame behind its link-type selector
            seeds["fuzz_inspect"].append(
                (tag, bytes([DLT_IDX.get(linktype, 0)]) + frame))
            ip = link_payload(linktype, frame)
            r = ip_payload(ip) if ip else None
            if r is None:
                continue
            proto, pl = r
            if proto == 6 and len(pl) >= 20:
                sport, dport = struct.unpack(">HH", pl[:4])
                data = pl[(pl[12] >> 4) * 4:]
                if 1723 in (sport, dport):
                    while len(data) >= 12:
                        n = struct.unpack(">H", data[:2])[0]
                        if n < 12 or n > len(data):
                            break
                        seeds["fuzz_pptp_ctrl"].append((tag, data[:n]))
                        data = data[n:]
            elif proto == 47 and len(pl) >= 8:
                seeds["fuzz_gre"].append((tag, pl))
                if pl[1] & 7 != 1 or not pl[0] & 0x10:
                    continue
                hl = 12 + (4 if pl[1] & 0x80 else 0)
                ppp = pl[hl:hl + struct.unpack(">H", pl[4:6])[0]]
                seeds["fuzz_ppp_frame"].append((tag, ppp))
                body = ppp[2:] if ppp[:2] == b"\xff\x03" else ppp
                if body and body[0] & 1:
                    p, body = body[0], body[1:]
                elif len(body) >= 2:
                    p, body = struct.unpack(">H", body[:2])[0], body[2:]
                else:
                    continue
                if p in PROTO_IDX:
                    seeds["fuzz_ppp_cp"].append((tag, bytes([PROTO_IDX[p]]) + body))
                if p in (0xC023, 0xC223):
                    seeds["fuzz_chap"].append((tag, bytes([0 if p == 0xC023 else 1]) + body))
                if p >= 0x8000:
                    session.setdefault(tag, []).append(ppp)
    # fuzz_ppp_session: flags, then [time step][length, 2 octets][frame]
    # per frame; one seed holds a capture's whole PPP negotiation.
    for tag, frames in session.items():
        blob = b"\x00" + b"".join(b"\x01" + struct.pack(">H", len(f)) + f
                                   for f in frames)
        seeds["fuzz_ppp_session"].append((tag, blob))
    for harness, items in seeds.items():
        d = os.path.join(OUT, harness)
        if not os.path.isdir(d):
            continue
        for f in os.listdir(d):
            if f.startswith("cap-"):
                os.remove(os.path.join(d, f))
        for i, (tag, blob) in enumerate(items):
            with open(os.path.join(d, f"cap-{tag}-{i:03d}"), "wb") as fh:
                fh.write(blob)
        print(f"{harness}: {len(items)} seeds from the captures")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Captures UDP datagrams on the loopback interface to or from the given addresses, as JSON lines.

  udpCapture.py OUTPUT_FILE ADDRESS...

Prints "capturing" once the socket is bound; stops on SIGTERM. Each line: src, sport, dst, dport and the
UDP payload in hex. A raw packet socket (root) sees each loopback datagram as sent and as received: only
the received copy is kept.
"""
import json
import signal
import socket
import struct
import sys

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

output, addresses = sys.argv[1], set(sys.argv[2:])
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(ETH_P_ALL))
sock.bind(("lo", 0))
sock.settimeout(0.2)
running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
print("capturing", flush=True)
with open(output, "w") as out:
    while running:
        try:
            frame, (_, _, pkttype, _, _) = sock.recvfrom(65535)
        except socket.timeout:
            continue
        if pkttype == PACKET_OUTGOING or len(frame) < 14 + 20 + 8 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        if ip[9] != 17:  # UDP
            continue
        header = (ip[0] & 0x0F) * 4
        src, dst = socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])
        if src not in addresses and dst not in addresses:
            continue
        sport, dport, length = struct.unpack("!HHH", ip[header : header + 6])
        payload = ip[header + 8 : header + length]
        out.write(json.dumps({"src": src, "sport": sport, "dst": dst, "dport": dport, "payload": payload.hex()}) + "\n")
        out.flush()

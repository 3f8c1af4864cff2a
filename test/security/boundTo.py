"""Runs a SIPVicious tool with its sockets bound to one address: boundTo.py ADDRESS TOOL ARGS...

svwar and svcrack 0.3.3 (Debian 12's package) parse -b but never pass it on, so they would send
from 127.0.0.1 whatever they are told; a scan from a stranger's address needs its socket bound there.
"""
import os
import runpy
import shutil
import socket
import sys

address, tool, args = sys.argv[1], sys.argv[2], sys.argv[3:]


class BoundSocket(socket.socket):
    def bind(self, addr):
        host, *rest = addr
        super().bind((address if host in ("", "0.0.0.0") else host, *rest))


socket.socket = BoundSocket
path = shutil.which(tool)
if path is None:
    sys.exit(f"{tool} is not installed (test/setup.sh installs sipvicious)")
# Debian links /usr/bin/svwar to its script in /usr/share/sipvicious, which Python finds its package beside.
path = os.path.realpath(path)
sys.path.insert(0, os.path.dirname(path))
sys.argv = [path, *args]
runpy.run_path(path, run_name="__main__")

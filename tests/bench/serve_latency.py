#!/usr/bin/env python3
"""Time from saving a pilot sheet to the reload signal in `guidebook serve`, and until the
search answers with the change: for an edit of its text, and for a change of its title
(which other pages show: lists, backlinks, related pages, menus), and for a text edit
saved right after another one's reload, while that one's search indexes are being made.

Usage: serve_latency.py GUIDEBOOK SITE PAGE LABEL JSON
  SITE is a site folder (copied first: the edits never touch it), PAGE a pilot sheet in it,
  relative to SITE. Prints one line per kind of edit and writes them to JSON.
"""
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SAVES = 5
# Seconds left after each save's search update before the next save.
IDLE = 10


MARKERS = ["kestrel", "jasmine", "quartz", "violet", "mango", "zephyr", "walnut", "bramble"]


def get(port, path):
    """The whole answer to GET `path` from 127.0.0.1:`port`, as bytes."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(300)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    buf = b""
    while chunk := s.recv(65536):
        buf += chunk
    s.close()
    return buf


def search_finds(port, word):
    buf = get(port, f"/api/search?q={word}%20&lang=en")
    return b'"total":0' not in buf and b'"total"' in buf


def edit_text(text, marker):
    return text + f"\n\nEdit {marker}.\n"


def edit_title(text, marker):
    return re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} {marker}"', text, count=1, flags=re.M)


def save_and_reload(port, page, text, name):
    """Saves `text` into `page`; returns the seconds until open pages are told to reload."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(300)
    s.sendall(f"GET /__guidebook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    buf = b""
    while b"event: ok" not in buf:
        buf += s.recv(4096)
    start = time.monotonic()
    page.write_text(text, encoding="utf-8")
    buf = b""
    while b"event: reload" not in buf and b"event: errors" not in buf:
        buf += s.recv(4096)
    s.close()
    if b"event: errors" in buf:
        raise SystemExit(f"the {name} edit broke the build: {buf[-500:]!r}")
    return time.monotonic() - start


def saves(port, page, edit, name, quick=False):
    """Saves `page` SAVES times with `edit`; returns the sorted (reload, search) seconds.
    With `quick`, each timed save comes right after another one's reload, while that
    save's search indexes are being made (an editor saving twice in a row)."""
    reloads, searches = [], []
    original = page.read_text(encoding="utf-8")
    for i in range(SAVES):
        # Markers far apart in spelling: the search forgives typos, and a marker one letter
        # from the previous save's would be found in the index before this save's.
        marker = f"gbbench{MARKERS[(i + len(name)) % len(MARKERS)]}{MARKERS[i]}"
        if quick:
            save_and_reload(port, page, edit(original, marker + "first"), name)
        start = time.monotonic()
        reloads.append(save_and_reload(port, page, edit(original, marker), name))
        # The search indexes follow the pages: wait for them, then for the old index's
        # files to be removed (the server answers from the new index before that ends), so
        # that every edit is measured on an idle server, as an editor's first save is.
        while not search_finds(port, marker):
            time.sleep(0.02)
        searches.append(time.monotonic() - start)
        time.sleep(IDLE)
    page.write_text(original, encoding="utf-8")
    while search_finds(port, marker):
        time.sleep(0.02)
    return sorted(reloads), sorted(searches)


def main():
    binary, site, page, label, out = sys.argv[1:6]
    root = Path(tempfile.mkdtemp(prefix="gb-serve-bench-"))
    try:
        shutil.copytree(site, root / "site", ignore=shutil.ignore_patterns("public*"))
        proc = subprocess.Popen([binary, "serve", "--bind", "127.0.0.1:0", "--root", str(root / "site"), "--out", str(root / "public")], stderr=subprocess.PIPE, text=True)
        port = None
        for line in proc.stderr:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        if port is None:
            raise SystemExit(f"guidebook serve did not start on {site}")
        # The server's lines are read on, or its writes would block once the pipe is full,
        # and every rebuild would then wait for a reader that never comes.
        threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
        result = {}
        kinds = [("text", edit_text, False), ("title", edit_title, False), ("text_again", edit_text, True)]
        for name, edit, quick in kinds:
            reloads, searches = saves(port, root / "site" / page, edit, name, quick)
            result[name] = {"reload_ms": round(statistics.median(reloads) * 1000), "search_ms": round(statistics.median(searches) * 1000)}
            what = f"{name} edit" if not quick else "text edit right after another one's reload"
            print(f"{label}, {what}: save -> reload median {result[name]['reload_ms']} ms, "
                  f"save -> search updated median {result[name]['search_ms']} ms (of {SAVES} saves, includes the 40 ms debounce)", flush=True)
        proc.terminate()
        proc.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    Path(out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()

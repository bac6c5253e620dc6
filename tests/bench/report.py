#!/usr/bin/env python3
"""Gathers the JSON files that tests/bench/run wrote into one folder and writes
results.json (all of them, keyed by file name) and results.md (tables) beside them;
prints the markdown.

Usage: report.py FOLDER
  FOLDER/machine.json, builds-<pages>.json (builds.py), search-<site>.json (search.mjs),
  serve-<site>.json (serve_latency.py).
"""
import json
import sys
from pathlib import Path


def kb(n):
    return f"{n / 1000:,.0f} KB"


def mb(n):
    return f"{n / 1e6:,.1f} MB"


def machine_table(m):
    return [
        "## Machine",
        "",
        f"- date: {m['date']}",
        f"- cores (nproc): {m['nproc']}",
        f"- rustc: {m['rustc']}",
        f"- guidebook binary: {m['binary']}",
        f"- zola: {m.get('zola') or 'not installed'}; hugo: {m.get('hugo') or 'not installed'}; pagefind: {m.get('pagefind') or 'not installed'}",
        "",
    ]


def builds_table(sizes):
    lines = [
        "## Full builds (median of the rounds, empty output folder, search indexes included)",
        "",
        "| pages | languages | tool | wall | peak RSS | output | gb/tool (wall, RSS, output) | load before → after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for b in sizes:
        tools = b.get("tools", {})
        gb = tools.get("guidebook")
        load = f"{' '.join(map(str, b['load_before']))} → {' '.join(map(str, b.get('load_after', [])))}"
        for name, t in tools.items():
            ratio = ""
            if gb and name != "guidebook":
                ratio = f"{gb['median_s'] / t['median_s']:.2f}, {gb['peak_rss_mib'] / t['peak_rss_mib']:.2f}, {gb['output_bytes'] / t['output_bytes']:.2f}"
            lines.append(f"| {b['pages']:,} | {len(b['languages'])} | {name} | {t['median_s']:.2f} s | {t['peak_rss_mib']:,.0f} MiB | {mb(t['output_bytes'])} | {ratio} | {load} |")
            load = ""
        if "check" in b and gb:
            c = b["check"]
            lines.append(f"| {b['pages']:,} | {len(b['languages'])} | guidebook check | {c['median_s']:.2f} s | {c['peak_rss_mib']:,.0f} MiB | | check/build {c['median_s'] / gb['median_s']:.2f} | |")
        if "failed" in b:
            lines.append(f"| {b['pages']:,} | | **{b['failed']} failed** | | | | | |")
    return lines + [""]


def transfer(t):
    return f"{kb(t['total'])} (engine {kb(t['engine'])} + {kb(t['rest'])})"


def search_table(searches):
    lines = [
        "## Search in headless Chromium (bytes transferred by a query, headers included)",
        "",
        "| site | language, queries | guidebook first query | second query | Pagefind first query | second query | first query without engine, gb/Pagefind | query time after load (median, p90) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for site, s in searches:
        g, p = s["guidebook"], s.get("pagefind")
        pf1 = transfer(p["first"]) if p else "-"
        pf2 = transfer(p["second"]) if p else "-"
        ratio = f"{g['first']['rest'] / p['first']['rest']:.2f}" if p and p["first"]["rest"] else "-"
        lat = g["latency"]
        lines.append(f"| {site} | {s['lang']}: `{s['queries'][0]}`, then `{s['queries'][1]}` | {transfer(g['first'])} | {transfer(g['second'])} | {pf1} | {pf2} | {ratio} | {lat['median_ms']} ms, {lat['p90_ms']} ms |")
    return lines + [""]


# The edits serve_latency.py times, as the table names them.
EDITS = {"text": "a text edit", "title": "a title edit", "text_again": "a text edit saved right after another's reload"}


def serve_table(serves):
    lines = ["## serve: save → reload signal, and → search updated (median of 5 saves)", "", "| site | edit | save → reload | save → search |", "|---|---|---|---|"]
    for site, s in serves:
        for edit, t in s.items():
            what = EDITS.get(edit, f"{edit} edit")
            lines.append(f"| {site} | {what} of a pilot sheet | {t['reload_ms']} ms | {t['search_ms']} ms |")
    return lines + [""]


def site_order(item):
    """The shipped guidebook first, then the corpus sizes from the smallest."""
    name = item[0]
    return (0, 0) if name == "shipped" else (1, int(name.rsplit("-", 1)[-1]))


def main():
    folder = Path(sys.argv[1])
    data = {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json")) if p.name != "results.json"}
    sizes = sorted((v for k, v in data.items() if k.startswith("builds-")), key=lambda b: b["pages"])
    searches = sorted(((k.removeprefix("search-"), v) for k, v in data.items() if k.startswith("search-")), key=site_order)
    serves = sorted(((k.removeprefix("serve-"), v) for k, v in data.items() if k.startswith("serve-")), key=site_order)
    lines = ["# guidebook benchmark", ""] + machine_table(data["machine"]) + builds_table(sizes)
    if searches:
        lines += search_table(searches)
    if serves:
        lines += serve_table(serves)
    (folder / "results.json").write_text(json.dumps(data, indent=1))
    (folder / "results.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()

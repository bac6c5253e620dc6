#!/usr/bin/env python3
"""Request targets for tests/load/run, and a probe that sends each one once.

    targets.py write OUT DIR   writes into DIR, from the built site in OUT:
        page.txt     the page whose HTML is closest to 10 KB (one line)
        pages.txt    up to 500 pages of the site, every language
        search.txt   ordinary searches: words, accents, phrases, prefixes, typos, filters
        fresh.txt    up to 6,000 different searches, made of the words of page addresses,
                     more than serve keeps answers for: each is searched anew
        hostile.txt  hostile searches and paths, mixed with some ordinary ones
    targets.py probe PORT DIR  sends every target of DIR once and prints its status and time;
        exits 1 if an ordinary target does not answer 200 or any target answers 5xx or
        does not answer within 30 s.

Every target is a request-target as sent on the wire, percent-encoded (RFC 3986): what is
hostile is the decoded value, not the HTTP framing.
"""

import http.client
import pathlib
import sys
import time
import zlib
from urllib.parse import quote

# Words of the shipped guidebook and of the benchmark corpus's domain lexicon, per language.
WORDS = {
    "en": ["probation", "radicalisation", "prison", "training", '"case management"', "rehabilitation", "prob", "probaton"],
    "fr": ["radicalisation", "réinsertion", "reinsertion", "formation", "formations", "prévention", '"gestion de cas"', "probatoin"],
    "de": ["Prävention", "praevention", "Gefängnis", "Bewährungshilfe", "Radikalisierung", "ausstieg"],
    "es": ["radicalización", "radicalizacion", "prisión", "formación", "prevención", "reinserción"],
}


def q(value):
    """Percent-encodes a query value (RFC 3986 unreserved characters stay as they are)."""
    return quote(value, safe="")


def search_targets(langs):
    out = []
    for lang in langs:
        for word in WORDS.get(lang, ["a"]):
            out.append(f"/api/search?q={q(word)}&lang={lang}")
        out.append(f"/api/search?q={q(WORDS.get(lang, ['a'])[0])}&lang={lang}&limit=5")
    return out


def fresh_targets(out, pages, langs):
    """Different questions, from the words of the pages' addresses, two words each."""
    words = {}
    for p in pages:
        parts = p.parent.relative_to(out).parts
        if len(parts) < 2 or parts[0] not in langs:
            continue
        for w in parts[-1].split("-"):
            if len(w) >= 4 and w.isalpha():
                words.setdefault(parts[0], {}).setdefault(w, None)
    out_targets = []
    for lang, found in sorted(words.items()):
        found = list(found)
        for i, w in enumerate(found):
            out_targets.append(f"/api/search?q={q(w + ' ' + found[(i * 7 + 1) % len(found)])}&lang={lang}")
    # Interleave the languages, so that each comes back only after the others.
    out_targets.sort(key=lambda t: (zlib.crc32(t.encode()), t))
    return out_targets[:6000]


def hostile_targets(langs):
    lang = "en" if "en" in langs else langs[0]
    long_words = " ".join(["probation", "radicalisation", "réinsertion", "prevention"] * 125)
    values = [
        '"unterminated',
        "- *",
        "*",
        "-",
        '""',
        "\x00",
        "a\x00b",
        "'; DROP TABLE pages; --",
        "<script>alert(1)</script>",
        "title:probation",
        "probation^1000",
        "probation~2",
        "(((((((((((((((((((((((((((((((((((((((((",
        "AND OR NOT",
        "%",
        "%%%%25",
        "\u202eevil\u202c",
        "🙂 probation",
        "e\u0301",
        "x" * 4000,
        "radicalisation" * 300,
        "a " * 4000,
        long_words,
    ]
    out = [f"/api/search?q={q(v)}&lang={lang}" for v in values]
    out += [
        "/api/search",
        "/api/search?",
        "/api/search?&&&&=&==",
        f"/api/search?q=&lang={lang}",
        f"/api/search?q=%FF%FE&lang={lang}",
        f"/api/search?q=%C3&lang={lang}",
        f"/api/search?q=probation&q=prison&lang={lang}",
        f"/api/search?q=probation&lang={lang}&lang={lang}",
        f"/api/search?q=probation&lang={lang}&limit=5&limit=6",
        f"/api/search?q=probation&lang={lang.upper()}",
        "/api/search?q=probation&lang=xx",
        "/api/search?q=probation&lang=zz-ZZ",
        "/api/search?q=probation&lang=..%2F..%2Fetc",
        "/api/search?q=probation&lang=" + q("en\x00"),
        "/api/search?q=probation&lang=" + "e" * 5000,
        f"/api/search?q=probation&lang={lang}&limit=0",
        f"/api/search?q=probation&lang={lang}&limit=-1",
        f"/api/search?q=probation&lang={lang}&limit=abc",
        f"/api/search?q=probation&lang={lang}&limit=1000000",
        f"/api/search?q=probation&lang={lang}&limit=1000000000",
        f"/api/search?q=probation&lang={lang}&limit=18446744073709551615",
        f"/api/search?q=probation&lang={lang}&limit=99999999999999999999999",
        f"/api/search?q=probation&lang={lang}&kind=nonexistent",
        f"/api/search?q=probation&lang={lang}&kind={q('<script>')}",
        f"/api/search?q=probation&lang={lang}&unknown=1",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/a/..%5c..%5cwin.ini",
        "/%00",
        "/index.html%00.txt",
        "/.git/config",
        "//en",
        "///en/",
        f"/{lang}",
        "/nonexistent/",
        "/" + "a" * 4000,
        "/" + "/".join(["a"] * 1000),
        "/%C0%AE%C0%AE/",
        "/__guidebook/live.js",
        "/__guidebook/nothing",
    ]
    return out


def write(out_dir, dest):
    out = pathlib.Path(out_dir)
    dest = pathlib.Path(dest)
    langs = sorted(p.name for p in (out / "search").iterdir() if (p / "index.bin").is_file())
    # Pages: every index.html but the print versions (a whole guidebook each).
    pages = sorted(
        p for p in out.rglob("index.html") if "print" not in p.relative_to(out).parts[:2]
    )
    if not pages or not langs:
        sys.exit(f"no pages or no search index in {out}: was the site built?")

    def target(p):
        rel = p.parent.relative_to(out).as_posix()
        return "/" if rel == "." else "/" + "/".join(quote(s) for s in rel.split("/")) + "/"

    page = min(pages, key=lambda p: (abs(p.stat().st_size - 10240), str(p)))
    (dest / "page.txt").write_text(target(page) + "\n")
    step = max(1, len(pages) // 500)
    (dest / "pages.txt").write_text("".join(target(p) + "\n" for p in pages[::step]))
    (dest / "search.txt").write_text("".join(t + "\n" for t in search_targets(langs)))
    (dest / "fresh.txt").write_text("".join(t + "\n" for t in fresh_targets(out, pages, langs)))
    ordinary = search_targets(langs)[:8] + [target(p) for p in pages[:: max(1, len(pages) // 8)]]
    (dest / "hostile.txt").write_text("".join(t + "\n" for t in hostile_targets(langs) + ordinary))
    print(f"page: {target(page)} ({page.stat().st_size} bytes of HTML); {len(pages)} pages; languages {' '.join(langs)}")


def probe(port, dest):
    dest = pathlib.Path(dest)
    failed = 0
    for name, strict in [("page.txt", True), ("pages.txt", True), ("search.txt", True), ("hostile.txt", False)]:
        for target in (dest / name).read_text().splitlines():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            start = time.monotonic()
            try:
                conn.request("GET", target, headers={"Connection": "close"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as e:
                status = f"no answer ({type(e).__name__})"
            finally:
                conn.close()
            ms = (time.monotonic() - start) * 1000
            bad = not isinstance(status, int) or status >= 500 or (strict and status != 200)
            failed += bad
            if name in ("search.txt", "hostile.txt") or bad:
                shown = target if len(target) <= 90 else f"{target[:70]}... ({len(target)} bytes)"
                print(f"{'FAIL ' if bad else ''}{status} {ms:8.1f} ms  {shown}")
    if failed:
        print(f"{failed} targets answered wrong")
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "probe":
        probe(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)

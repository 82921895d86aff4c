"""Check the built site as a reader's browser sees it: pages, links, images, requests.

``python docs/check_site.py [SITE]`` serves ``SITE`` (default ``docs/_build/html``) on
127.0.0.1 and checks it twice:

1. **Crawler** (standard library only): starting from ``index.html`` and every HTML file on
   disk, every internal ``href``/``src`` (links, images, stylesheets, scripts) must answer
   200, and every ``#fragment`` must name an ``id`` on its target page. Links to other hosts are
   counted, not fetched (the machine has no network).
2. **Browser** (unless ``--no-browser``): Debian's Chromium, headless, driven through Playwright
   (``pip install playwright``; no browser is downloaded, ``/usr/bin/chromium`` is used) loads
   every page: no request may fail or answer >= 400, no script error may occur, every ``<img>``
   must be decoded with a non-zero width, pages with math must have it typeset by MathJax, and
   no typeset formula may be wider than the box it sits in (a clipped display equation).
   ``--screenshots DIR`` saves the home page and a theory page.

Exits 1 on any failure, listing each one. CI runs both (the browser check needs
``apt-get install chromium`` and ``pip install playwright``).
"""

from __future__ import annotations

import argparse
import functools
import http.client
import http.server
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

DOCS = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = {
    "home.png": "index.html",
    "theory-gan.png": "theory/gan.html",
    "theory-gan-virtual-criterion.png": "theory/gan.html#claim-gan-virtual-criterion",
}


class _Page(HTMLParser):
    """The ids of a page and the URLs it refers to, by kind."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "a" and "href" in a:
            self.refs.append(("link", a["href"]))
        elif tag == "img" and "src" in a:
            self.refs.append(("image", a["src"]))
        elif tag == "link" and "href" in a:
            self.refs.append(("asset", a["href"]))
        elif tag == "script" and "src" in a:
            self.refs.append(("asset", a["src"]))


@dataclass
class Report:
    """What was checked and what failed."""

    pages: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    external: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)

    def count(self, kind: str) -> None:
        """Count one checked reference of ``kind``."""
        self.checked[kind] = self.checked.get(kind, 0) + 1


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) for the duration; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _fetch(url: str) -> tuple[int, bytes]:
    """HTTP status and body; status 0 for a URL that cannot even be requested."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, b""
    except (urllib.error.URLError, ValueError, http.client.InvalidURL):
        return 0, b""


def crawl(site: Path, base: str, report: Report) -> list[str]:
    """Check every internal reference of every page; return the page URLs found."""
    # _static/ holds the theme's assets, among them a Jinja macro file named *.html
    on_disk = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] != "_static"
    )
    queue = [urljoin(base, "index.html")] + [urljoin(base, p) for p in on_disk]
    seen: set[str] = set()
    pages: dict[str, _Page] = {}
    wanted_fragments: list[tuple[str, str, str]] = []  # (from page, target page, fragment)
    status_cache: dict[str, int] = {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        status, body = _fetch(url)
        if status != 200:
            report.failures.append(f"page {url}: HTTP {status}")
            continue
        parser = _Page()
        parser.feed(body.decode("utf-8", errors="replace"))
        pages[url] = parser
        for kind, ref in parser.refs:
            if ref.startswith(("mailto:", "javascript:", "data:")):
                continue
            target, fragment = urldefrag(urljoin(url, ref))
            if urlparse(target).netloc != urlparse(base).netloc:
                report.external.add(target)
                continue
            report.count(f"{kind}s")
            if target not in status_cache:
                status_cache[target] = _fetch(target)[0]
            if status_cache[target] != 200:
                report.failures.append(f"{url}: {kind} {ref} -> HTTP {status_cache[target]}")
                continue
            if target.endswith(".html") or target.endswith("/"):
                if target not in seen:
                    queue.append(target)
                if fragment:
                    wanted_fragments.append((url, target, fragment))
    for source, target, fragment in wanted_fragments:
        report.count("fragments")
        if target in pages and fragment not in pages[target].ids:
            report.failures.append(f"{source}: link to {target}#{fragment}: no such id")
    report.pages = sorted(pages)
    return report.pages


#: The formulas drawn wider than the box they sit in (a display equation cut off on the right):
#: MathJax's rendering (its first child) against the content width of the container's parent.
_CLIPPED_MATH = """els => els.filter(e => {
    const drawn = (e.firstElementChild || e).getBoundingClientRect().width;
    return drawn > e.parentElement.clientWidth + 1;
}).map(e => (e.getAttribute('aria-label') || e.textContent).slice(0, 80))"""


def _wait_quiet(page: Any, in_flight: set[object], quiet_ms: int = 500) -> None:
    """Wait until no request has been in flight for ``quiet_ms`` (at most 15 s).

    Playwright's "networkidle" never fired here on pages whose MathJax fonts had all loaded,
    so the requests are counted directly.
    """
    quiet = 0
    for _ in range(15_000 // 50):
        quiet = quiet + 50 if not in_flight else 0
        if quiet >= quiet_ms:
            return
        page.wait_for_timeout(50)


def browse(base: str, pages: list[str], report: Report, screenshots: Path | None) -> None:
    """Load every page in headless Chromium and check requests, scripts, images and math."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        for url in pages:
            page = context.new_page()
            problems: list[str] = []
            page.on("requestfailed", lambda r, out=problems: out.append(f"request failed {r.url}"))
            page.on(
                "response",
                lambda r, out=problems: r.status >= 400 and out.append(f"HTTP {r.status} {r.url}"),
            )
            page.on("pageerror", lambda e, out=problems: out.append(f"script error: {e}"))
            page.on(
                "console",
                lambda m, out=problems: m.type == "error" and out.append(f"console: {m.text}"),
            )
            in_flight: set[object] = set()
            page.on("request", lambda r, s=in_flight: s.add(r))
            page.on("requestfinished", lambda r, s=in_flight: s.discard(r))
            page.on("requestfailed", lambda r, s=in_flight: s.discard(r))
            page.goto(url, wait_until="load")
            _wait_quiet(page, in_flight)
            images = page.eval_on_selector_all(
                "img", "els => els.map(e => [e.currentSrc || e.src, e.complete, e.naturalWidth])"
            )
            for src, complete, width in images:
                report.count("images decoded in chromium")
                if not complete or width == 0:
                    problems.append(f"image did not load: {src}")
            has_math = page.eval_on_selector_all(".math", "els => els.length") > 0
            if has_math:
                report.count("pages with math typeset")
                page.wait_for_function(
                    "document.querySelectorAll('mjx-container').length > 0", timeout=10_000
                )
                page.evaluate("() => MathJax.startup.promise")  # every formula typeset
                for label in page.eval_on_selector_all("mjx-container", _CLIPPED_MATH):
                    problems.append(f"equation wider than its container: {label}")
            report.count("pages loaded in chromium")
            report.failures += [f"{url}: {p}" for p in problems]
            page.close()
        if screenshots is not None:
            screenshots.mkdir(parents=True, exist_ok=True)
            page = context.new_page()
            for name, path in SCREENSHOTS.items():
                page.goto(urljoin(base, path), wait_until="load")
                page.wait_for_timeout(1000)  # MathJax typesets after the load event
                page.screenshot(path=str(screenshots / name))
            page.close()
        browser.close()


def main(argv: list[str] | None = None) -> int:
    """Run the checks; print a summary and every failure; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=DOCS / "_build" / "html")
    parser.add_argument("--no-browser", action="store_true", help="the crawler only")
    parser.add_argument("--screenshots", type=Path, help="save screenshots into this directory")
    args = parser.parse_args(argv)
    site: Path = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"{site}/index.html not found: build the site first", file=sys.stderr)
        return 2
    report = Report()
    with serve(site) as base:
        pages = crawl(site, base, report)
        if not args.no_browser:
            browse(base, pages, report, args.screenshots)
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(report.checked.items()))
    print(f"{len(pages)} pages; checked {counts}; {len(report.external)} external URLs not fetched")
    for failure in report.failures:
        print(f"FAIL {failure}")
    print("site check: " + (f"{len(report.failures)} failures" if report.failures else "ok"))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Headless Chromium for the tests of our HTML pages, and a reader of its DOM.

``dump_dom(url)`` starts Chromium once, lets the page's script run (virtual
time, so timers fire at once), and returns the DOM *after* the script: what
a reader of the page sees, not what Python wrote. Chromium is Debian's
``chromium`` package (``.ci/run`` installs it). Without it the browser tests
skip, unless ``NDA_REQUIRE_BROWSER=1`` (set by ``.ci/run``): then they fail.
"""

import html.parser
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
_VOID = {"meta", "link", "input", "br", "img", "hr", "area", "base", "col", "source"}


def chromium():
    """The Chromium binary on PATH, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium():
    """The binary; skips the test without one, or fails under NDA_REQUIRE_BROWSER=1."""
    binary = chromium()
    if binary is None:
        message = "headless Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("NDA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message}, and NDA_REQUIRE_BROWSER=1 requires it")
        pytest.skip(message)
    return binary


def run_chromium(url, *flags, budget_ms=5000):
    """Runs Chromium on ``url`` with ``flags``; returns the finished process."""
    binary = require_chromium()
    with tempfile.TemporaryDirectory(prefix="nda-chromium-") as profile:
        command = [
            binary,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--virtual-time-budget={budget_ms}",
            *flags,
            url,
        ]
        return subprocess.run(command, capture_output=True, text=True, check=True)


def page_url(path, fragment=""):
    """``file:///...page.html#fragment``."""
    url = pathlib.Path(path).resolve().as_uri()
    return f"{url}#{fragment}" if fragment else url


def dump_dom(path, fragment="", *flags, budget_ms=5000):
    """The page's DOM after its script ran, parsed (see ``Dom``)."""
    done = run_chromium(
        page_url(path, fragment), "--dump-dom", *flags, budget_ms=budget_ms
    )
    return Dom(done.stdout)


def screenshot(path, fragment, image, size=(1280, 860)):
    """Saves a PNG of the page at ``fragment`` to ``image``."""
    run_chromium(
        page_url(path, fragment),
        f"--screenshot={image}",
        f"--window-size={size[0]},{size[1]}",
        "--hide-scrollbars",
    )


def page_requests(path, fragment=""):
    """URLs the *page* asked the network for (Chromium's own requests excluded).

    Chromium runs with a proxy on a closed port and writes its network log;
    a request made by a file:// page carries the file:// isolation key.
    """
    with tempfile.TemporaryDirectory(prefix="nda-netlog-") as folder:
        log = pathlib.Path(folder) / "net.json"
        dump_dom(path, fragment, "--proxy-server=127.0.0.1:9", f"--log-net-log={log}")
        events = json.loads(log.read_text(encoding="utf-8"))
    names = {v: k for k, v in events["constants"]["logEventTypes"].items()}
    return [
        event["params"]["url"]
        for event in events["events"]
        if names[event["type"]] == "URL_REQUEST_START_JOB"
        and "url" in event.get("params", {})
        and "file://" in event["params"].get("network_isolation_key", "")
    ]


class Dom(html.parser.HTMLParser):
    """Elements of a serialised DOM: tag, attributes and text content.

    ``dom.find(attribute, value)`` lists the elements whose ``attribute``
    is ``value`` (any value when ``value`` is None); ``dom.by_id[id]``.
    """

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self._open = []
        self.markup = markup
        self.feed(markup)
        self.close()
        self.by_id = {e["attrs"]["id"]: e for e in self.elements if "id" in e["attrs"]}
        self.body = next(e for e in self.elements if e["tag"] == "body")

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": ""})

    def handle_endtag(self, tag):
        for k in range(len(self._open) - 1, -1, -1):
            if self._open[k]["tag"] == tag:
                del self._open[k:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def find(self, attribute, value=None):
        return [
            e
            for e in self.elements
            if attribute in e["attrs"]
            and (value is None or e["attrs"][attribute] == value)
        ]

    def one(self, attribute, value):
        found = self.find(attribute, value)
        assert len(found) == 1, (attribute, value, len(found))
        return found[0]

    def nodes(self):
        """``{data-node: attributes}`` of the graph's nodes."""
        return {e["attrs"]["data-node"]: e["attrs"] for e in self.find("data-node")}

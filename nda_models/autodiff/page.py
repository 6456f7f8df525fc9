"""The shell of a step-through page: one self-contained HTML file.

Everything is inline: the stylesheet, the SVG, the precomputed ``Timeline``
(JSON) and one script that only looks states up. A Content-Security-Policy
with ``default-src 'none'`` lets the page load nothing at all (no font,
image, script or connection); its own style and script are allowed by their
SHA-256 hashes. So the file works from disk, offline, and in a notebook.
"""

import base64
import hashlib
import html
import pathlib

ASSETS = pathlib.Path(__file__).with_name("assets")


def _asset(name):
    return (ASSETS / name).read_text(encoding="utf-8")


def _sha256(text):
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def mode_buttons(labels):
    """The reverse/forward toggle: ``labels`` maps each mode to its words (HTML)."""
    if len(labels) < 2:
        return ""
    buttons = "".join(
        f'<button type="button" data-mode-button="{mode}" aria-pressed="false">'
        f"{label}</button>"
        for mode, label in labels.items()
    )
    return f'<div class="modes" role="group" aria-label="mode">{buttons}</div>'


def controls(timeline, labels):
    """Mode toggle, back/step/play/reset, the slider over all steps, position."""
    last = timeline.last(timeline.default_mode)
    return (
        '<nav class="controls" aria-label="steps">'
        f"{mode_buttons(labels)}"
        '<div class="buttons">'
        '<button type="button" id="reset" title="Reset (Home)">↺ Reset</button>'
        '<button type="button" id="back" title="Back (←)">◀ Back</button>'
        '<button type="button" id="play" title="Play / pause (space)">▶ Play</button>'
        '<button type="button" id="step" title="Step (→)">Step ▶</button>'
        "</div>"
        '<div class="track">'
        f'<input type="range" id="slider" min="0" max="{last}" value="{last}" '
        'aria-label="step">'
        '<span id="position"></span></div>'
        '<span id="pass" class="pass"></span></nav>'
        '<p id="equation" class="equation"></p><p id="caption" class="caption"></p>'
    )


def page_document(*, title, body, timeline, styles=()):
    """The whole page: ``body`` (HTML) plus the timeline and the stepping script.

    Args:
        title: The page title (plain text).
        body: The page's content, controls included (HTML).
        timeline: The ``Timeline`` the script plays.
        styles: Extra ``<style>`` contents present in ``body`` (e.g. the
            SVG's), so that the security policy allows them.

    Returns:
        The HTML document (str).
    """
    style = _asset("page.css")
    script = _asset("stepper.js")
    hashes = " ".join(_sha256(s) for s in (style, *styles))
    policy = (
        f"default-src 'none'; style-src {hashes}; script-src {_sha256(script)}; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{style}</style>\n</head>\n"
        f'<body data-ready="false">\n{body}\n'
        '<script type="application/json" id="nda-timeline">'
        f"{timeline.to_json()}</script>\n<script>{script}</script>\n</body>\n</html>\n"
    )


def notebook_frame(document, height):
    """The page inside an ``<iframe srcdoc>``, for ``_repr_html_`` in Jupyter.

    The frame keeps the page's ids, style and script apart from the
    notebook's; ``sandbox="allow-scripts"`` runs the stepping script only.
    """
    return (
        f'<iframe srcdoc="{html.escape(document, quote=True)}" '
        'sandbox="allow-scripts" title="step-through page" '
        f'width="100%" height="{int(height)}" frameborder="0"></iframe>'
    )

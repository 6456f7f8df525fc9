"""Regenerates the README's screenshots of the step-through page (example 3).

    .venv/bin/python docs/images/screenshots.py

Writes the page with ``nda autodiff example3 --html``, opens it in headless
Chromium at three moments (``#forward=2``, ``#step=3``, ``#step=last``) and
saves each as a palette PNG beside this file. Chromium is run as the tests
run it (``tests/browser.py``: the same flags, a throwaway profile).
"""

import pathlib
import subprocess
import sys
import tempfile

from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests"))
from browser import chromium, screenshot  # noqa: E402  (tests/ is not a package)

SHOTS = {
    "autodiff_page_forward.png": "forward=2",
    "autodiff_page_message.png": "step=3",
    "autodiff_page_done.png": "step=last",
}


def main():
    chromium() or sys.exit("install chromium first (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as folder:
        page = pathlib.Path(folder) / "example3.html"
        nda = pathlib.Path(sys.executable).with_name("nda")
        subprocess.run(
            [str(nda), "autodiff", "example3", "--html", str(page)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for name, fragment in SHOTS.items():
            shot = pathlib.Path(folder) / name
            screenshot(page, fragment, shot, size=(1100, 780))
            image = Image.open(shot).convert("RGB").quantize(colors=96)
            image.save(HERE / name, optimize=True)
            print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()

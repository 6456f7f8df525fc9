"""Regenerates the README's screenshots of the step-through page (example 3).

    .venv/bin/python docs/images/screenshots.py

Writes the page with ``nda autodiff example3 --html``, opens it in headless
Chromium at three moments (``#forward=2``, ``#step=3``, ``#step=last``) and
saves each as a palette PNG beside this file.
"""

import pathlib
import shutil
import subprocess
import sys
import tempfile

from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent
SHOTS = {
    "autodiff_page_forward.png": "forward=2",
    "autodiff_page_message.png": "step=3",
    "autodiff_page_done.png": "step=last",
}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def main():
    chromium = shutil.which("chromium") or sys.exit("install chromium first")
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
            subprocess.run(
                [
                    chromium,
                    *FLAGS,
                    f"--user-data-dir={folder}/profile",
                    "--virtual-time-budget=2000",
                    "--window-size=1100,780",
                    f"--screenshot={shot}",
                    f"{page.as_uri()}#{fragment}",
                ],
                check=True,
                capture_output=True,
            )
            image = Image.open(shot).convert("RGB").quantize(colors=96)
            image.save(HERE / name, optimize=True)
            print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()

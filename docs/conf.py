"""Sphinx configuration of the nda_models documentation (``make docs``).

Why Sphinx: it is what scikit-learn, NumPy, pandas and matplotlib use, so
the site looks and links like theirs (the PyData theme; ``objects.inv``
lets other projects' docs link to ours and ours to theirs); autodoc reads
the Google-style docstrings as they are (napoleon); MyST reads the guide's
Markdown, which the tests execute block by block; myst-nb renders the
notebooks the test suite has already executed, without running them again.
See ``docs/README.md``.
"""

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE / "_ext"))

import nda_models  # noqa: E402

nda_models.quiet_tensorflow()  # autodoc imports it: keep its start-up lines out

project = "nda_models"
author = "the nda_models developers"
copyright = "the nda_models developers"  # noqa: A001 - Sphinx's own name
release = version = nda_models.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "myst_nb",
    "sphinx_design",
    "sphinx-mathjax-offline",  # MathJax served from _static: the math shows offline
    "api_pages",
    "lecture_pages",
]

# The README of this folder is for people reading the repository.
exclude_patterns = ["README.md", "_build", "images/*.py", "**.ipynb_checkpoints"]
html_static_path = ["_static"]
html_css_files = ["nda.css"]

# --- API reference: Google-style docstrings, one page per public name.
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_use_ivar = True  # Attributes: as fields, not a second description
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"

# --- Markdown and notebooks.
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "off"  # the test suite executed them (build/notebooks)
nb_merge_streams = True

# --- HTML.
html_theme = "pydata_sphinx_theme"
html_title = "nda_models"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_sidebars = {"index": []}
html_show_sourcelink = False

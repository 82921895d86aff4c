"""Sphinx configuration of the documentation site (Sphinx requires this file; see pyproject.toml).

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``.

Before the pages are read, :mod:`generate` writes what is derived from the code: the theory pages
from the claims registry of ``proofs/``, the proof report's figures and the trainer tutorial's
figures (``docs/theory/`` and ``docs/_generated/``, both ignored by git).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # proofs/ is not installed; the theory pages import it

import divergences  # noqa: E402

project = "divergences"
author = "The divergences developers"
copyright = "the divergences developers"
release = divergences.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    # MathJax served from the site itself: no request leaves the page
    "sphinx-mathjax-offline",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    # docs/claims.md is the registry rendered for reading on the repository; the site's
    # theory pages are generated from the same registry with the report's figures
    "claims.md",
    # the comparison table is included into comparison.md, not a page of its own
    "comparison-table.md",
    # the architecture tables are included into architecture.md
    "_generated/architecture/*.md",
    # the proof checker's own report, read by the theory pages for each claim's status
    "_generated/proofs-run",
]

myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# numpydoc renders the docstrings; autodoc finds them
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"  # the numpydoc Parameters section states every type
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

html_theme = "pydata_sphinx_theme"
html_title = f"divergences {release}"
# top-level pages without sub-pages: no empty "Section Navigation" column
html_sidebars = {
    page: []
    for page in (
        "quickstart",
        "conventions",
        "trainer",
        "statistics",
        "scale",
        "benchmarks",
        "comparison",
    )
}
html_theme_options = {
    "navigation_with_keys": False,
    # one header row at 1280 px: the search field as a button, five links then "More"
    "navbar_persistent": ["search-button"],
    "header_links_before_dropdown": 5,
    "show_toc_level": 2,
    # the comparison's wide tables get the width of the page table of contents
    "secondary_sidebar_items": {"**": ["page-toc"], "comparison": []},
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# the theme logs a console error when no colour mode is stored yet unless one is named
html_context = {"default_mode": "auto"}
html_static_path = ["_static"]
# with no icon declared, browsers request /favicon.ico, which the site does not have
html_favicon = "_static/favicon.svg"
html_css_files = ["site.css"]
html_show_sourcelink = False


def _generate(app: Any) -> None:
    import generate

    generate.main(force=False)


def setup(app: Any) -> dict[str, Any]:
    """Generate the derived pages and figures before Sphinx looks for source files."""
    app.connect("builder-inited", _generate)
    return {"parallel_read_safe": True}

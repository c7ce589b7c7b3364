"""Finding the browser the preview's browser tests need, the way a user has it.

`make test` can't install Chromium (CI's script does), so without it those tests are skipped
and say how to install it. It is looked for on PATH under its usual names, or named by
ANKIPRESS_CHROMIUM (a path or a name; a name found nowhere, such as "none", hides the browser,
to see the skip on a machine that has one).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SKIP_REASON = "Chromium not found: install it (apt-get install chromium) to run the browser tests"


def find_chromium(environ: Mapping[str, str]) -> str | None:
    path = environ.get("PATH", os.defpath)
    names = [environ["ANKIPRESS_CHROMIUM"]] if "ANKIPRESS_CHROMIUM" in environ else BROWSER_NAMES
    found = (shutil.which(name, path=path) for name in names if name)
    return next(filter(None, found), None)

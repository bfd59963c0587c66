import atexit
import os
import shutil
import tempfile

import pytest

from generator import DATA_ROOT, build


@pytest.fixture(scope="session")
def pub304():
    publication, report = build(DATA_ROOT, "304", 2023)
    return publication


# The prepared template is cached on disk (generator/document/direct.py): tests keep theirs out of ~/.cache.
os.environ["BUDGETPUB_CACHE"] = _CACHE = tempfile.mkdtemp(prefix="budgetpub-test-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

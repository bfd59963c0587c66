import pytest

from generator import DATA_ROOT, build


@pytest.fixture(scope="session")
def pub304():
    publication, report = build(DATA_ROOT, "304", 2023)
    return publication

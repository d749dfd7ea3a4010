from collections.abc import Iterator

import pytest

from tests.wiki.mediawiki import MediaWiki, missing, running_wiki


@pytest.fixture(scope="session")
def mediawiki() -> Iterator[MediaWiki]:
    """A real MediaWiki on 127.0.0.1 for the whole test session."""
    reason = missing()
    if reason is not None:
        pytest.skip(reason)
    with running_wiki() as wiki:
        yield wiki

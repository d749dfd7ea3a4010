"""A real MediaWiki for the tests: Debian's `mediawiki` package, a wiki made by its own
maintenance installer on SQLite under var/test-wiki/ (ignored), served on 127.0.0.1 by PHP's
built-in server. Users, groups and edits are made through the wiki's Action API."""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

MEDIAWIKI = Path("/usr/share/mediawiki")
ROOT = Path(__file__).resolve().parents[2] / "var" / "test-wiki"
ADMIN, ADMIN_PASSWORD = "Admin", "admin-password-2021"
PASSWORD = "wiki-password-2021"
# A test wiki takes any number of accounts and edits at once.
EXTRA_SETTINGS = """
$wgRateLimits = [];
$wgAccountCreationThrottle = 0;
$wgPasswordAttemptThrottle = false;
$wgEnableUploads = false;
"""


def missing() -> str | None:
    """Why a real wiki cannot run here, or None when it can."""
    if shutil.which("php") is None:
        return "php is not installed (scripts/system-deps installs php-cli and mediawiki)"
    if not (MEDIAWIKI / "maintenance" / "install.php").exists():
        return "Debian's mediawiki package is not installed (scripts/system-deps installs it)"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class MediaWiki:
    base: str

    @property
    def api_url(self) -> str:
        return f"{self.base}/api.php"

    def _token(self, session: requests.Session, kind: str) -> str:
        data = session.get(
            self.api_url,
            params={"action": "query", "meta": "tokens", "type": kind, "format": "json"},
            timeout=30,
        ).json()
        return str(data["query"]["tokens"][f"{kind}token"])

    def _post(self, session: requests.Session, data: dict[str, str]) -> dict[str, Any]:
        answer = session.post(self.api_url, data={**data, "format": "json"}, timeout=30).json()
        if "error" in answer:
            raise AssertionError(answer["error"])
        return dict(answer)

    def create_user(self, name: str, password: str = PASSWORD) -> "WikiUser":
        session = requests.Session()
        answer = self._post(
            session,
            {
                "action": "createaccount",
                "username": name,
                "password": password,
                "retype": password,
                "createreturnurl": self.base,
                "createtoken": self._token(session, "createaccount"),
            },
        )
        assert answer["createaccount"]["status"] == "PASS", answer
        return self.login(name, password)

    def login(self, name: str, password: str) -> "WikiUser":
        session = requests.Session()
        answer = self._post(
            session,
            {
                "action": "login",
                "lgname": name,
                "lgpassword": password,
                "lgtoken": self._token(session, "login"),
            },
        )
        assert answer["login"]["result"] == "Success", answer
        return WikiUser(self, name, session)

    def add_group(self, name: str, group: str) -> None:
        admin = self.login(ADMIN, ADMIN_PASSWORD)
        self._post(
            admin.session,
            {
                "action": "userrights",
                "user": name,
                "add": group,
                "token": self._token(admin.session, "userrights"),
            },
        )


@dataclass
class WikiUser:
    wiki: MediaWiki
    name: str
    session: requests.Session

    def edit(self, title: str, text: str) -> int:
        """Save a page; returns the new revision id."""
        answer = self.wiki._post(
            self.session,
            {
                "action": "edit",
                "title": title,
                "text": text,
                "token": self.wiki._token(self.session, "csrf"),
            },
        )
        return int(answer["edit"]["newrevid"])


@contextmanager
def running_wiki() -> Iterator[MediaWiki]:
    """Install a fresh wiki and serve it until the block ends."""
    port = _free_port()
    folder = ROOT / f"{os.getpid()}-{port}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "data").mkdir(parents=True)
    base = f"http://127.0.0.1:{port}"
    php = shutil.which("php") or "php"
    subprocess.run(  # noqa: S603 — our own fixed command line
        [
            php,
            str(MEDIAWIKI / "maintenance" / "install.php"),
            "--dbtype=sqlite",
            f"--dbpath={folder / 'data'}",
            "--dbname=testwiki",
            f"--confpath={folder}",
            f"--server={base}",
            "--scriptpath=",
            f"--pass={ADMIN_PASSWORD}",
            "--skins=",
            "--quiet",
            "Test Wiki",
            ADMIN,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    settings_file = folder / "LocalSettings.php"
    with settings_file.open("a") as handle:
        handle.write(EXTRA_SETTINGS)
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 — our own fixed command line
        [php, "-S", f"127.0.0.1:{port}", "-t", str(MEDIAWIKI)],
        env={**os.environ, "MW_CONFIG_FILE": str(settings_file)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wiki = MediaWiki(base)
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(wiki.api_url, params={"action": "query", "format": "json"}, timeout=5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield wiki
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)

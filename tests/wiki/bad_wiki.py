"""A local HTTP server that answers like a broken wiki, one way per path."""

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS: dict[str, tuple[int, str]] = {
    "/error/api.php": (500, "<h1>Internal error</h1>"),
    "/html/api.php": (200, "<!doctype html><title>Not an API</title>"),
    "/list/api.php": (200, "[1, 2, 3]"),
    "/shape/api.php": (200, '{"query": {"users": [{"name": "Ana Q", "editcount": "many"}]}}'),
    "/refused/api.php": (
        200,
        '{"errors": [{"code": "readapidenied", "text": "You need read permission."}]}',
    ),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/slow/api.php":
            time.sleep(2)
            status, body = 200, '{"query": {"users": []}}'
        else:
            status, body = ANSWERS.get(path, (404, "not found"))
        payload = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        # The client may have given up waiting, as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def bad_wiki() -> Iterator[str]:
    """Serve the broken answers; yields the base address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

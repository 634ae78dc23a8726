"""The preview's HTTP side (standard library): a start page, a page per source or
book, their files from memory, and server-sent events that tell open pages to
update. Every URL is looked up in what the worker published, by exact name: no
URL ever reaches the file system, so there is nothing to traverse and no listing."""
from __future__ import annotations

import json
import signal
import sys
import threading
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..errors import EXIT_USAGE, UserError
from ..render import TEMPLATES
from .builder import Board, Status, Worker
from .targets import Project
from .watch import Watcher

ASSETS = Path(__file__).parent / "assets"
TYPES = {".xhtml": "application/xhtml+xml", ".html": "text/html", ".css": "text/css", ".png": "image/png",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml",
         ".woff2": "font/woff2", ".ncx": "application/x-dtbncx+xml", ".opf": "application/oebps-package+xml",
         ".xml": "application/xml", ".js": "text/javascript", ".pdf": "application/pdf",
         ".epub": "application/epub+zip", ".json": "application/json"}
KEEPALIVE = 15  # seconds between comments on an idle event stream


@lru_cache(maxsize=1)
def templates() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=None)
def asset(name: str) -> bytes | None:
    """The server's own scripts and styles, by exact name."""
    known = {p.name: p for p in ASSETS.iterdir() if p.is_file()}
    return known[name].read_bytes() if name in known else None


class Preview(ThreadingHTTPServer):
    daemon_threads = True  # an event stream's thread never holds up the exit

    def __init__(self, address, project: Project, board: Board, check_host: bool):
        super().__init__(address, Handler)
        self.project, self.board, self.check_host = project, board, check_host

    def allowed_hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"127.0.0.1:{port}", f"localhost:{port}"}


class Handler(BaseHTTPRequestHandler):
    server: Preview
    server_version = "zh-pipeline-preview"
    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # requests are many and routine; the build lines are what the editor reads

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        # A page on another site cannot reach a loopback server through a name of its own
        # (DNS rebinding): the Host must be the loopback address the server listens on.
        if self.server.check_host and self.headers.get("Host") not in self.server.allowed_hosts():
            return self.send(HTTPStatus.MISDIRECTED_REQUEST, b"wrong host\n", "text/plain", head)
        path = unquote(urlsplit(self.path).path)
        if path == "/events":
            return self.events()
        found = self.route(path)
        if found is None:
            return self.send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head)
        body, kind = found
        self.send(HTTPStatus.OK, body, kind, head)

    def send(self, status, body: bytes, kind: str, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def route(self, path: str) -> tuple[bytes, str] | None:
        project, board = self.server.project, self.server.board
        if path == "/":
            html = templates().get_template("preview-index.html.j2").render(project=project)
            return html.encode("utf-8"), "text/html"
        if path == "/state.json":
            statuses = [board.get(t.name).as_json(t.name) for t in project.targets]
            return json.dumps({"targets": statuses}, ensure_ascii=False).encode("utf-8"), "application/json"
        if path.startswith("/_/"):
            data = asset(path[3:])
            return (data, TYPES.get(Path(path).suffix, "application/octet-stream")) if data is not None else None
        parts = path.split("/", 3)  # "", "a", NAME, rest
        if len(parts) < 4 or parts[0] != "" or parts[1] != "a":
            return None
        target = project.find(parts[2])
        if target is None:
            return None
        status, rest = board.get(target.name), parts[3]
        if rest == "":
            html = templates().get_template("preview-target.html.j2").render(target=target)
            return html.encode("utf-8"), "text/html"
        if rest == "state.json":
            return json.dumps(status.as_json(target.name), ensure_ascii=False).encode("utf-8"), "application/json"
        return self.output(target.name, status, rest)

    @staticmethod
    def output(name: str, status: Status, rest: str) -> tuple[bytes, str] | None:
        out = status.outputs
        if out is None:
            return None
        if rest in (f"{name}.pdf", f"{name}.epub"):
            return (out.pdf if rest.endswith(".pdf") else out.epub), TYPES[Path(rest).suffix]
        if rest.startswith("page-") and rest.endswith(".png") and rest[5:-4].isdigit():
            number = int(rest[5:-4])
            return (out.pages[number - 1], "image/png") if 1 <= number <= len(out.pages) else None
        if rest.startswith("epub/") and rest[5:] in out.entries:
            entry = rest[5:]
            return out.entries[entry], TYPES.get(Path(entry).suffix, "application/octet-stream")
        if rest == "proof" and out.proof is not None:
            return out.proof.encode("utf-8"), "text/html"
        return None

    def events(self) -> None:
        """Server-sent events: the board's generation, each time it changes."""
        board = self.server.board
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        generation = board.generation
        try:
            self.wfile.write(f"retry: 500\ndata: {generation}\n\n".encode())
            self.wfile.flush()
            while not board.stopping:
                now = board.wait(generation, KEEPALIVE)
                if board.stopping:
                    break
                self.wfile.write(f"data: {now}\n\n".encode() if now != generation else b": idle\n\n")
                self.wfile.flush()
                generation = now
        except (BrokenPipeError, ConnectionResetError):
            pass


def serve(project: Project, host: str = "127.0.0.1", port: int = 8000, folder: Path | None = None,
          out=sys.stdout, log=sys.stderr) -> int:
    """Run until SIGINT or SIGTERM. The signal only sets a flag: the main thread then
    stops everything in order (a KeyboardInterrupt raised inside WeasyPrint's cffi
    callbacks would be printed and ignored, so none is relied on)."""
    folder = folder or project.root / ".build" / "preview"
    board = Board({t.name: Status() for t in project.targets})
    try:
        server = Preview((host, port), project, board, check_host=host in ("127.0.0.1", "localhost"))
    except OSError as exc:
        raise UserError(None, f"cannot listen on {host}:{port}: {exc.strerror or exc}", exit_code=EXIT_USAGE) from None
    worker = Worker(project, board, folder, log)
    watcher = Watcher(project, worker.want)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="preview-http",
                               daemon=True)
    try:
        watcher.start()
        worker.start()
        worker.want(project.targets)
        serving.start()
        print(f"preview: http://{host}:{server.server_address[1]}/ ({len(project.targets)} sources and books; "
              f"Ctrl-C stops)", file=out, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        print("preview: stopping", file=log, flush=True)
        watcher.stop()
        worker.stop()         # kills pdftoppm; a build in WeasyPrint finishes first
        board.stop()          # the event streams return
        server.shutdown() if serving.is_alive() else None
        server.server_close()
        worker.join()
        watcher.join(timeout=5)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0

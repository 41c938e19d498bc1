"""Serve the built JupyterLite site on this computer only: ``make lite-serve`` (``python tools/lite/serve.py``).

A plain static file server bound to 127.0.0.1 (a page served from 127.0.0.1 may use a service worker, which the
site needs to keep the students' files). It is for trying the site before putting it on GitHub Pages, and for the
tests; it is not a server for a class.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import mimetypes
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

DEFAULT_SITE = Path(__file__).resolve().parents[2] / "build" / "lite"
# Types a browser insists on (a module worker refuses a .mjs served as text/plain, WebAssembly wants its own).
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json"}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the MIME types JupyterLite needs, and no log line per request."""

    extensions_map: ClassVar[dict[str, str]] = {**mimetypes.types_map, **TYPES}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # Always the files on disk: a rebuilt site is seen at the next reload.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def server(site: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """A server for ``site`` on 127.0.0.1 (``port=0``: a free port chosen by the system); not yet started."""
    if not (site / "jupyter-lite.json").is_file():
        msg = f"No JupyterLite site in {site}: build it first with `make lite`."
        raise FileNotFoundError(msg)
    handler = functools.partial(SiteHandler, directory=str(site))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """Serve ``site`` in a background thread while the block runs; yields its address (``http://127.0.0.1:PORT/``)."""
    httpd = server(site)
    thread = threading.Thread(target=httpd.serve_forever, name="lite-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=DEFAULT_SITE, help=f"the site (default {DEFAULT_SITE})")
    parser.add_argument("--port", type=int, default=0, help="the port (default: any free one)")
    args = parser.parse_args(argv)
    try:
        httpd = server(args.site, args.port)
    except (FileNotFoundError, OSError) as error:
        print(error, file=sys.stderr)
        return 1
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    print(f"The course in JupyterLite: {url}lab/index.html?path=00_start_here.ipynb  (Ctrl+C to stop)")
    with contextlib.suppress(KeyboardInterrupt):
        httpd.serve_forever()
    httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

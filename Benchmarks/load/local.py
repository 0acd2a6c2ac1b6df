"""What the load scripts share: free ports, waiting for a listener, and a hook receiver."""
import http.server
import json
import socket
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, seconds=60, what="the gateway"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not listen on {port}")


class Receiver:
    """A hook receiver on 127.0.0.1: counts calls, notes the first arrival of each
    document id; `sleep` seconds before answering 200."""

    def __init__(self, sleep=0):
        self.arrivals = {}
        self.calls = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                now = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    document_id = json.loads(body).get("id")
                except ValueError:
                    document_id = None
                with receiver.lock:
                    receiver.calls += 1
                    receiver.arrivals.setdefault(document_id, now)
                if sleep:
                    time.sleep(sleep)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the gateway gave up (timeout) and closed the connection

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

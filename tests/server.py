"""A real HTTP server for API tests, inside the test's database transaction.

The WSGI application runs in a background thread behind a real socket; it serves one request
at a time with the test thread's own database connection, so a test sees what the server
wrote and everything is rolled back after it, on SQLite and PostgreSQL alike.
"""

import contextlib
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import requests
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections


class _QuietHandler(WSGIRequestHandler):
    def handle(self) -> None:
        # Held until the response is closed, which happens after the client has read it: a
        # test must not end (and take its connection back) while a request is still finishing.
        with self.server.busy:
            super().handle()

    def log_message(self, *args) -> None:
        pass


class _Server:
    def __init__(self) -> None:
        self.connection = None
        handler = WSGIHandler()

        def app(environ, start_response):
            if self.connection is not None:
                connections["default"] = self.connection
                # Django's test Client, used in the same test, connects these again after each
                # of its requests; they would close the shared connection (and its transaction).
                request_started.disconnect(close_old_connections)
                request_finished.disconnect(close_old_connections)
            return handler(environ, start_response)

        self.httpd: WSGIServer = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
        self.httpd.busy = threading.Lock()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @contextlib.contextmanager
    def sharing_connection(self):
        # Django would close the connection at the end of each request; inside the test's
        # transaction that would throw the transaction away.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        connection = connections["default"]
        connection.inc_thread_sharing()
        self.connection = connection
        try:
            yield
        finally:
            with self.httpd.busy:
                self.connection = None
            connection.dec_thread_sharing()
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    def stop(self) -> None:
        self.httpd.shutdown()


def start_server() -> _Server:
    return _Server()


class LiveApi:
    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()

    def request(self, method: str, path: str, *, token: str | None = None, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.session.request(method, self.url + path, headers=headers, timeout=60, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

"""The HTTP server under the front: uvicorn's httptools protocol on an event loop of our own thread
(uvloop where installed), with limits and timeouts, started and stopped in milliseconds.

uvicorn's `Server.serve()` is not used: its loop polls for shutdown every 0.1 s and its shutdown
sleeps 0.1 s, so a test that serves a mock would pay ~200 ms. This module binds the socket itself
(the port is known before the thread starts), hands it to `loop.create_server` with uvicorn's
protocol class, and stops by closing listener and connections from the loop's own thread.

The protocol subclass adds what uvicorn leaves to a proxy in front of it, answered as AWS JSON
errors instead of text: a bound on the request line and headers (431), a deadline for receiving a
whole request once it has started (408, "stalled"), a timeout for a connection that never sends
anything, and JSON for requests httptools cannot parse (400).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from dataclasses import dataclass
from typing import Any, TypeVar

from uvicorn import Config
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.server import ServerState

from cognito_mock.transports.asgi import BAD_REQUEST, CONTENT_TYPE, ASGIApp, error_body

try:  # uvloop halves the server's own cost per request; not on Windows
    import uvloop
except ImportError:  # pragma: no cover
    uvloop = None  # type: ignore[assignment]

__all__ = ["HTTPServer", "Limits"]

S = TypeVar("S", bound="HTTPServer")

log = logging.getLogger("cognito_mock.http")


@dataclass(frozen=True)
class Limits:
    """What the server accepts, and how long it waits. Seconds, bytes."""

    max_body: int = (
        10 * 1024 * 1024
    )  # the AWS front door's common 10 MiB (the service's own is unpublished)
    max_head: int = 64 * 1024  # request line and headers together
    idle_timeout: float = (
        60.0  # a connection with no request in progress (an ALB's default idle timeout)
    )
    request_timeout: float = 30.0  # from a request's first byte to its last
    stop_grace: float = 1.0  # how long stop() lets requests in progress finish


class _Refused(Exception):
    """Raised from a parser callback to stop parsing a request that breaks a limit."""


def _raw_error(status: int, code: str, message: str) -> bytes:
    """A complete AWS JSON error response, for answers written below ASGI (the app never ran)."""
    body = error_body(code, message)
    head = (
        f"content-type: {CONTENT_TYPE}\r\nx-amzn-errortype: {code}:\r\n"
        f"x-amzn-errormessage: {message}\r\ncontent-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    ).encode("ascii")
    return STATUS_LINE[status] + head + body


class _Coalescing:
    """The connection's transport, with the writes of one loop iteration sent as one: uvicorn
    writes a response's head and body separately, which costs a syscall, a TCP segment and a
    wake-up of the client each."""

    __slots__ = ("_loop", "_parts", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._parts:
            self._loop.call_soon(self._flush)
        self._parts.append(data)

    def _flush(self) -> None:
        if self._parts:
            data = b"".join(self._parts)
            self._parts.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _Protocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with the limits and JSON answers of `Limits`."""

    limits: Limits = Limits()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = _Coalescing(transport, self.loop)  # type: ignore[assignment]
        self._in_head = True  # between requests, or inside a request line and headers
        self._raw_head = 0  # bytes received while in the head (httptools buffers them)
        self._parsed_head = 0  # request line and headers of this request, as parsed
        self._refusal: tuple[int, str, str] | None = None
        self._deadline: asyncio.TimerHandle | None = self.loop.call_later(
            self.limits.idle_timeout, self._idle
        )

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _idle(self) -> None:
        """No request began in time: close quietly (a 408 here would race a client's reuse)."""
        if not self.transport.is_closing():
            self.transport.close()

    def _stalled(self) -> None:
        """A request began but did not arrive whole in time."""
        if self.transport.is_closing():
            return
        if self.cycle is None or not self.cycle.response_started:
            message = (
                f"The request was not received within {self.limits.request_timeout:g} seconds."
            )
            self._refuse(408, "RequestTimeoutException", message)
        else:
            self.transport.close()

    def _refuse(self, status: int, code: str, message: str) -> None:
        log.info("refused: %d %s", status, code)
        if self.cycle is not None:
            self.cycle.disconnected = True  # the app (if running) must not answer after us
            self.cycle.message_event.set()
        self.transport.write(_raw_error(status, code, message))
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._raw_head += len(data)
        super().data_received(data)
        # httptools holds a header until its end arrives: bound what it may hold.
        if (
            self._in_head
            and self._raw_head > self.limits.max_head
            and not self.transport.is_closing()
        ):
            self._refuse(431, *_HEAD_TOO_LARGE)

    def send_400_response(self, msg: str) -> None:
        """httptools could not parse the request (or a callback refused it): JSON, not text."""
        refusal, self._refusal = self._refusal, None
        self._refuse(*(refusal or (400, "BadRequestException", BAD_REQUEST)))

    # -- parser callbacks ---------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._parsed_head = 0
        self._cancel_deadline()
        self._deadline = self.loop.call_later(self.limits.request_timeout, self._stalled)

    def _count(self, size: int) -> None:
        # Counted as parsed too: a whole oversized head can arrive in one read.
        self._parsed_head += size
        if self._parsed_head > self.limits.max_head:
            self._refusal = (431, *_HEAD_TOO_LARGE)
            raise _Refused

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True
        self._raw_head = 0
        self._cancel_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # arms uvicorn's keep-alive timeout (= idle_timeout)


_HEAD_TOO_LARGE = (
    "RequestHeaderFieldsTooLargeException",
    "The request line and headers are larger than the server accepts.",
)


class HTTPServer:
    """An ASGI app served on (host, port) from a daemon thread; `port=0` picks a free port.

    The socket is bound in the constructor (an OSError there means the address is taken);
    `start()` returns once the server accepts connections; `stop()` returns once it is closed.
    """

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0,
                 limits: Limits | None = None) -> None:  # fmt: skip
        self.app = app
        self.limits = limits or Limits()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that name it, and
        # without it every keep-alive answer waits ~40 ms for the client's delayed ACK.
        self._socket = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._socket.bind((host, port))
            self._socket.listen(1024)
        except OSError:
            self._socket.close()
            raise
        self._socket.setblocking(False)
        self.server_address: tuple[str, int] = self._socket.getsockname()[:2]
        self._state = ServerState()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def __enter__(self: S) -> S:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self: S) -> S:
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._run, name="cognito-mock-http", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._failure is not None:
            raise self._failure
        return self

    def stop(self) -> None:
        """Stop accepting, let requests in progress finish (up to `stop_grace`), close the rest."""
        loop, thread, stopping = self._loop, self._thread, self._stopping
        if thread is None:
            self._socket.close()
            return
        if loop is not None and stopping is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended on its own
                loop.call_soon_threadsafe(stopping.set)
        thread.join()

    # -- the server thread ----------------------------------------------------------------------

    def _protocol_class(self) -> type[_Protocol]:
        return type("Protocol", (_Protocol,), {"limits": self.limits})

    def _run(self) -> None:
        loop = uvloop.new_event_loop() if uvloop is not None else asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve(loop))
        except BaseException as error:  # reported to start(); never a silent dead thread
            self._failure = error
            log.error("the HTTP server stopped: %s", error, exc_info=error)
        finally:
            self._ready.set()
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self, loop: asyncio.AbstractEventLoop) -> None:
        config = Config(
            self.app, http=self._protocol_class(), ws="none", lifespan="off", interface="asgi3",
            proxy_headers=False, server_header=False, date_header=False, log_config=None,
            access_log=False, timeout_keep_alive=max(1, round(self.limits.idle_timeout)),
        )  # fmt: skip
        config.load()
        state = self._state
        protocol = config.http_protocol_class

        def make() -> asyncio.Protocol:
            made: asyncio.Protocol = protocol(  # type: ignore[call-arg]
                config=config, server_state=state, app_state={}, _loop=loop
            )
            return made

        server = await loop.create_server(make, sock=self._socket)
        self._stopping = asyncio.Event()
        self._ready.set()
        await self._stopping.wait()
        server.close()
        for connection in list(state.connections):
            connection.shutdown()  # idle ones close now; busy ones after their answer
        waited = 0.0
        while state.connections and waited < self.limits.stop_grace:
            await asyncio.sleep(0.002)
            waited += 0.002
        for connection in list(state.connections):
            connection.transport.close()
        for task in list(state.tasks):
            task.cancel()
        await asyncio.sleep(0)  # let the closes and cancellations run
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(server.wait_closed(), 1.0)

"""ASGI middleware: refuse request bodies over the limit with `413 payload_too_large`.

It checks the declared Content-Length first and then the bytes actually received, so a client
that lies about (or omits) the length is refused too. The body is buffered (it is small by
then) and handed on to the app unchanged.
"""

from __future__ import annotations

import orjson

from .errors import error_body

MAX_BODY = 256 * 1024
_DRAIN_LIMIT = 8 * 1024 * 1024


class BodyLimitMiddleware:
    """Refuses HTTP bodies larger than `limit` bytes before any handler sees them."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._refuse(send, 422, "invalid", "Bad Content-Length header.")
                    return
        if declared is not None and declared > self.limit:
            await self._drain(receive, declared)
            await self._refuse_too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._drain(receive, size if message.get("more_body") else 0)
                await self._refuse_too_large(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        delivered = False

        async def replay():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _drain(self, receive, declared: int) -> None:
        # Reading what the client is still sending lets it see our answer instead of a reset.
        if declared <= 0 or declared > _DRAIN_LIMIT:
            return
        while True:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body"):
                return

    async def _refuse_too_large(self, send) -> None:
        await self._refuse(send, 413, "payload_too_large",
                           f"The request body is larger than {self.limit} bytes.",
                           {"limit": self.limit})

    @staticmethod
    async def _refuse(send, status: int, code: str, message: str, details=None) -> None:
        payload = orjson.dumps(error_body(code, message, details))
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": payload})

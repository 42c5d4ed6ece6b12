"""
The benchmarks' HTTP client for many simulated browsers: a few keep-alive HTTP/1.1 connections
to nginx shared by them, over plain asyncio sockets, so that the client stays cheap beside the
servers on a 2-core machine (bench/storm.py, bench/live_thread.py).
"""

import asyncio
import time


class Connections:
    """Keep-alive HTTP/1.1 connections to nginx, shared by the readers (a browser has its own;
    what nginx and gunicorn do is the same). Plain sockets: the client must stay cheap beside
    the servers on a 2-core machine."""

    def __init__(self, port, size):
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.idle = asyncio.Queue()
        for _ in range(size):
            self.idle.put_nowait(None)

    async def request(self, method, path, headers=(), body=b""):
        """(status, {name: [values]}, body, seconds on the wire)."""
        connection = await self.idle.get()
        try:
            if connection is None:
                connection = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = connection
            lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", *headers]
            if body or method == "POST":
                lines.append(f"Content-Length: {len(body)}")
            started = time.perf_counter()
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            status, answer, content = await read_response(reader)
            seconds = time.perf_counter() - started
            if "close" in answer.get("connection", [""])[0].lower():
                writer.close()
                connection = None
            return status, answer, content, seconds
        except (OSError, asyncio.IncompleteReadError, ValueError):
            if connection is not None:
                connection[1].close()
            connection = None
            raise
        finally:
            self.idle.put_nowait(connection)


async def read_response(reader):
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    if "chunked" in headers.get("transfer-encoding", [""])[0]:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        return status, headers, b"".join(part[:-2] for part in parts)
    length = int(headers.get("content-length", ["0"])[0])
    return status, headers, (await reader.readexactly(length) if length else b"")

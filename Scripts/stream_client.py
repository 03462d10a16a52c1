#!/usr/bin/env python3
"""Streams a WAV to `sluice serve`'s WebSocket endpoint and prints the events, one JSON object a line.

Usage: stream_client.py [--realtime] ws://HOST:PORT/v1/stream < audio.wav
  The WAV (16-bit PCM, mono; any rate: it is sent as ?sample_rate=RATE&format=s16le) comes on stdin and is
  sent in 100 ms messages, at real time with --realtime; then {"eof":1}. Exits 1 after an error event.
Standard library only; the benchmark's load client (Benchmarks/serve/serve_load.py) uses its functions.
"""
import asyncio
import base64
import json
import os
import sys
import time
import urllib.parse
import wave

CHUNK_SECONDS = 0.1


def frame(opcode, payload):
    """A masked client frame (RFC 6455)."""
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def read_frame(reader):
    """(opcode, payload) of the server's next frame."""
    first, second = await reader.readexactly(2)
    n = second & 0x7F
    if n == 126:
        n = int.from_bytes(await reader.readexactly(2), "big")
    elif n == 127:
        n = int.from_bytes(await reader.readexactly(8), "big")
    return first & 0x0F, await reader.readexactly(n)


async def connect(host, port, path):
    """A WebSocket connection (reader, writer) after the HTTP upgrade."""
    reader, writer = await asyncio.open_connection(host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError("upgrade refused: " + head.splitlines()[0].decode())
    return reader, writer


async def stream(host, port, pcm, rate, realtime, on_event):
    """Sends s16le `pcm` (then eof) and calls on_event(seconds since the first send, event) for each event."""
    reader, writer = await connect(host, port, f"/v1/stream?sample_rate={rate}&format=s16le")
    start = time.monotonic()
    chunk = int(rate * CHUNK_SECONDS) * 2

    async def send():
        for k, offset in enumerate(range(0, len(pcm), chunk)):
            delay = start + k * CHUNK_SECONDS - time.monotonic()
            if realtime and delay > 0:
                await asyncio.sleep(delay)
            writer.write(frame(0x2, pcm[offset:offset + chunk]))
            await writer.drain()
        writer.write(frame(0x1, b'{"eof":1}'))
        await writer.drain()

    async def receive():
        while True:
            opcode, payload = await read_frame(reader)
            if opcode == 0x8:
                return
            if opcode == 0x1:
                on_event(time.monotonic() - start, json.loads(payload))

    await asyncio.gather(send(), receive())
    writer.close()


def main():
    args = [a for a in sys.argv[1:] if a != "--realtime"]
    if len(args) != 1 or not args[0].startswith("ws://"):
        sys.exit(__doc__)
    url = urllib.parse.urlsplit(args[0])
    try:
        with wave.open(sys.stdin.buffer) as audio:
            if audio.getsampwidth() != 2 or audio.getnchannels() != 1:
                sys.exit("stream_client.py: the WAV on stdin must be 16-bit mono")
            rate, pcm = audio.getframerate(), audio.readframes(audio.getnframes())
    except (wave.Error, EOFError) as error:
        sys.exit(f"stream_client.py: stdin is not a WAV file ({str(error) or 'it ends too soon'})")
    failed = []

    def show(_, event):
        print(json.dumps(event), flush=True)
        failed.extend([event] if event.get("type") == "error" else [])

    asyncio.run(stream(url.hostname, url.port or 80, pcm, rate, "--realtime" in sys.argv, show))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

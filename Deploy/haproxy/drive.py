#!/usr/bin/env python3
"""Drives `sluice serve` instances through a proxy for Deploy/test-haproxy.sh (standard library only).

Usage:
  drive.py reference PROXY_PORT UPLOAD WAV…
      Streams each WAV (16 kHz mono s16) at real time through the proxy, all at once, and uploads UPLOAD once;
      prints one JSON object: {"streams": [final text…], "upload": text}.
  drive.py drain PROXY_PORT UPLOAD COUNT REFERENCE.json INSTANCE… -- WAV…
      COUNT uploads of UPLOAD (two at a time) through the proxy and, once 10 are done, the same streams at
      once; when the streams are 40% sent, SIGTERMs the instance (PORT:PID) holding the most streams. Prints what happened
      as JSON lines and exits 1 unless every stream's final text and every upload's text equal REFERENCE's,
      every upload answered 200 and every stream closed normally (1000).
"""
import asyncio
import json
import os
import signal
import sys
import time
import urllib.request
import uuid
import wave

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Scripts"))
from stream_client import CHUNK_SECONDS, connect, frame, read_frame  # noqa: E402  (the WebSocket client)

UPLOAD_CONCURRENCY = 2
UPLOADS_BEFORE_STREAMS = 10
DRAIN_AT_FRACTION = 0.4


def read_wav(path):
    """(rate, s16le PCM) of a 16-bit mono WAV."""
    with wave.open(path) as audio:
        assert audio.getsampwidth() == 2 and audio.getnchannels() == 1, f"{path}: not 16-bit mono"
        return audio.getframerate(), audio.readframes(audio.getnframes())


async def stream(port, path):
    """Streams a WAV at real time through 127.0.0.1:port; (final text, close code)."""
    rate, pcm = read_wav(path)
    reader, writer = await connect("127.0.0.1", port, f"/v1/stream?sample_rate={rate}&format=s16le")
    chunk = int(rate * CHUNK_SECONDS) * 2
    start = time.monotonic()
    finals, close = [], None

    async def send():
        for k, offset in enumerate(range(0, len(pcm), chunk)):
            await asyncio.sleep(max(0, start + k * CHUNK_SECONDS - time.monotonic()))
            writer.write(frame(0x2, pcm[offset:offset + chunk]))
            await writer.drain()
        writer.write(frame(0x1, b'{"eof":1}'))
        await writer.drain()

    async def receive():
        nonlocal close
        while True:
            opcode, payload = await read_frame(reader)
            if opcode == 0x8:
                close = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
                return
            if opcode == 0x1:
                event = json.loads(payload)
                if event.get("type") == "error":
                    raise RuntimeError(f"{path}: error event {event}")
                if event.get("type") == "final":
                    finals.append(event["text"])

    await asyncio.gather(send(), receive())
    writer.close()
    return "".join(finals).strip(), close


def upload(port, path):
    """POST /v1/audio/transcriptions of a file through 127.0.0.1:port; (status, text or error body)."""
    boundary = uuid.uuid4().hex
    with open(path, "rb") as file:
        audio = file.read()
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{os.path.basename(path)}"\r\n'
            f'Content-Type: application/octet-stream\r\n\r\n').encode() + audio + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/audio/transcriptions", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, json.loads(response.read())["text"].strip()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except OSError as error:  # no answer at all
        return 0, str(error)


def active_streams(port):
    """sluice_sessions_active{kind="stream"} of the instance on 127.0.0.1:port (0 when it cannot answer)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            for line in response.read().decode().splitlines():
                if line.startswith('sluice_sessions_active{kind="stream"}'):
                    return float(line.split()[-1])
    except OSError:
        pass
    return 0


async def reference(port, upload_path, wavs):
    streams = await asyncio.gather(*(stream(port, wav) for wav in wavs))
    status, text = await asyncio.to_thread(upload, port, upload_path)
    assert status == 200, f"reference upload: {status} {text}"
    assert all(close == 1000 for _, close in streams), f"reference streams closed with {streams}"
    print(json.dumps({"streams": [text for text, _ in streams], "upload": text}))


async def drain(port, upload_path, count, expected, instances, wavs):
    duration = max(len(read_wav(wav)[1]) / 2 / read_wav(wav)[0] for wav in wavs)
    results, pending = [], list(range(count))
    started = time.monotonic()

    async def uploader():
        while pending:
            index = pending.pop(0)
            status, text = await asyncio.to_thread(upload, port, upload_path)
            results.append({"upload": index, "status": status, "at_s": round(time.monotonic() - started, 1),
                            "ok": status == 200 and text == expected["upload"], "text": text})

    async def streams_then_drain():
        # Uploads first, so that both instances serve some before the drain.
        while len(results) < min(UPLOADS_BEFORE_STREAMS, count):
            await asyncio.sleep(0.05)
        streams = asyncio.gather(*(stream(port, wav) for wav in wavs))
        await asyncio.sleep(duration * DRAIN_AT_FRACTION)
        counts = [(await asyncio.to_thread(active_streams, p), p, pid) for p, pid in instances]
        open_streams, drained_port, pid = max(counts)
        assert open_streams >= 1, f"no instance holds a stream 40% in: {counts}"
        os.kill(pid, signal.SIGTERM)
        done = len(results)
        print(json.dumps({"sigterm": f"instance on port {drained_port} (pid {pid})", "its_open_streams": open_streams,
                          "at_s": round(time.monotonic() - started, 1), "epoch": time.time(),
                          "uploads_done_before": done}), flush=True)
        return await streams

    streams, *_ = await asyncio.gather(streams_then_drain(), *(uploader() for _ in range(UPLOAD_CONCURRENCY)))
    failures = 0
    for wav, (text, close), want in zip(wavs, streams, expected["streams"]):
        ok = text == want and close == 1000
        failures += not ok
        print(json.dumps({"stream": os.path.basename(wav), "close": close, "same_final_text": text == want,
                          "text": text, **({} if ok else {"expected": want})}), flush=True)
    bad_uploads = [r for r in results if not r["ok"]]
    failures += len(bad_uploads) + (len(results) != count)
    for result in bad_uploads:
        print(json.dumps(result), flush=True)
    print(json.dumps({"uploads": len(results), "ok": len(results) - len(bad_uploads), "failed": len(bad_uploads),
                      "wall_s": round(time.monotonic() - started, 1)}), flush=True)
    sys.exit(1 if failures else 0)


def main():
    args = sys.argv[1:]
    if len(args) >= 4 and args[0] == "reference":
        asyncio.run(reference(int(args[1]), args[2], args[3:]))
    elif len(args) >= 8 and args[0] == "drain" and "--" in args:
        split = args.index("--")
        instances = [tuple(int(part) for part in item.split(":")) for item in args[5:split]]
        with open(args[4]) as file:
            expected = json.load(file)
        asyncio.run(drain(int(args[1]), args[2], int(args[3]), expected, instances, args[split + 1:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

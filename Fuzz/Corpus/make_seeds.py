#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (Fuzz/Corpus/<target>/): a few small valid inputs each, from Samples/,
Pipelines/ and the test fixtures, or built here to the formats' specs. Rerun after changing it; commit the result."""
import io
import json
import math
import os
import shutil
import struct
import wave
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")


def put(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def tone(frames, channels=1, rate=16000):
    return [[math.sin(2 * math.pi * 440 * i / rate + c) * 0.5 for c in range(channels)] for i in range(frames)]


def wav_pcm(frames, channels, rate, width):
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        scale = {1: 127, 2: 32767, 3: 8388607, 4: 2147483647}[width]
        data = b""
        for frame in tone(frames, channels, rate):
            for v in frame:
                n = int(v * scale)
                data += (n + 128).to_bytes(1, "little") if width == 1 else n.to_bytes(width, "little", signed=True)
        w.writeframes(data)
    return out.getvalue()


def wav_float(frames, channels, rate, streaming=False):
    data = b"".join(struct.pack("<f", v) for frame in tone(frames, channels, rate) for v in frame)
    fmt = struct.pack("<HHIIHH", 3, channels, rate, rate * channels * 4, channels * 4, 32)
    riff_size = 0xFFFFFFFF if streaming else 4 + 8 + len(fmt) + 8 + len(data)
    data_size = 0xFFFFFFFF if streaming else len(data)
    return b"RIFF" + struct.pack("<I", riff_size) + b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt \
        + b"data" + struct.pack("<I", data_size) + data


def aiff(frames, channels, rate):
    data = b"".join(int(v * 32767).to_bytes(2, "big", signed=True) for f in tone(frames, channels, rate) for v in f)
    exponent = rate.bit_length() - 1
    extended = struct.pack(">HQ", 16383 + exponent, rate << (63 - exponent))  # the 80-bit float AIFF wants
    comm = struct.pack(">hIh", channels, frames, 16) + extended
    ssnd = struct.pack(">II", 0, 0) + data
    chunks = b"COMM" + struct.pack(">I", len(comm)) + comm + b"SSND" + struct.pack(">I", len(ssnd)) + ssnd
    return b"FORM" + struct.pack(">I", 4 + len(chunks)) + b"AIFF" + chunks


def audio_file():
    put("audio-file", "s16-mono.wav", wav_pcm(200, 1, 16000, 2))
    put("audio-file", "u8-stereo.wav", wav_pcm(100, 2, 8000, 1))
    put("audio-file", "s24-mono.wav", wav_pcm(100, 1, 44100, 3))
    put("audio-file", "f32-stereo.wav", wav_float(100, 2, 48000))
    put("audio-file", "f32-streaming.wav", wav_float(100, 1, 16000, streaming=True))
    put("audio-file", "s16-stereo.aiff", aiff(100, 2, 22050))
    # Heads of the real compressed samples: their headers and first frames, then a truncation.
    with open(os.path.join(ROOT, "Samples", "1089-134686-0001.flac"), "rb") as f:
        put("audio-file", "head.flac", f.read(4096))
    with open(os.path.join(ROOT, "Tests", "SluiceAudioTests", "Fixtures", "speech-1.5s.ogg"), "rb") as f:
        put("audio-file", "speech.ogg", f.read())


def raw_pcm():
    # First byte: bit 0 encoding (0 s16le, 1 f32le), bits 1-3 channels - 1, bits 4-7 read size.
    s16 = b"".join(int(v * 32767).to_bytes(2, "little", signed=True) for f in tone(64) for v in f)
    f32 = b"".join(struct.pack("<f", v) for f in tone(32, 2) for v in f)
    put("raw-pcm", "s16-mono", bytes([0x30]) + s16)
    put("raw-pcm", "f32-stereo", bytes([0x13]) + f32)
    put("raw-pcm", "s16-partial-frame", bytes([0x02]) + s16[:7])


def pipeline_yaml():
    for name in sorted(os.listdir(os.path.join(ROOT, "Pipelines"))):
        shutil.copy(os.path.join(ROOT, "Pipelines", name), os.path.join(CORPUS, "pipeline-yaml", name))
    bad = os.path.join(ROOT, "Tests", "SluicePipelinesTests", "Fixtures", "bad")
    for name in sorted(os.listdir(bad)):
        shutil.copy(os.path.join(bad, name), os.path.join(CORPUS, "pipeline-yaml", "bad-" + name))
    with open(os.path.join(ROOT, "Pipelines", "transcribe.yaml")) as f:
        put("pipeline-yaml", "with-overrides.yaml", "#set input.path=a.wav\n#set output.path=-\n" + f.read())
    laughs = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    laughs += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    put("pipeline-yaml", "alias-budget.yaml", "\n".join(laughs) + "\n? *a8\n: 1\n")  # once hung Yams' duplicate-key check
    put("pipeline-yaml", "anchors.yaml", "input: &a {type: audio, path: x.wav}\nstages: [{id: m, type: mel, inputs: input}]\noutput: *a\n")


def multipart():
    crlf = "\r\n"
    form = crlf.join([
        "--XyZ", 'Content-Disposition: form-data; name="model"', "", "tiny.en",
        "--XyZ", 'Content-Disposition: form-data; name="file"; filename="a.wav"', "Content-Type: audio/wav", "",
        "RIFF\x24\x00\x00\x00WAVEfmt ", "--XyZ--", ""])
    put("multipart", "two-parts", "multipart/form-data; boundary=XyZ\n" + form)
    quoted = crlf.join(["--a b", 'Content-Disposition: form-data; name="response_format"; filename="x\\"y"', "", "json", "--a b--"])
    put("multipart", "quoted-boundary", 'multipart/form-data; boundary="a b"\n' + quoted)
    put("multipart", "empty-form", "multipart/form-data; boundary=B\n--B--\r\n")


def stream_protocol():
    def text(message):
        return bytes([0]) + struct.pack("<H", len(message)) + message.encode()

    def binary(data):
        return bytes([1]) + struct.pack("<H", len(data)) + data

    s16 = b"".join(int(v * 32767).to_bytes(2, "little", signed=True) for f in tone(160) for v in f)
    f32 = b"".join(struct.pack("<f", v) for f in tone(80) for v in f)
    put("stream-protocol", "s16-eof", b"sample_rate=16000&format=s16le\n" + binary(s16) + binary(s16) + text('{"eof":1}'))
    put("stream-protocol", "config-f32", b"\n" + text('{"sample_rate":8000,"format":"f32le"}') + binary(f32) + bytes([2]))
    put("stream-protocol", "shutdown", b"format=f32le\n" + binary(f32) + bytes([3]) + text('{"eof":1}'))


def sluc_file(groups, levels, codebook, frames_per_chunk, frames, streaming):
    bits = (codebook - 1).bit_length()
    head = b"SLUC" + bytes([1, groups, levels, bits]) + struct.pack("<IHHHH", 24000, 480, codebook, frames_per_chunk, 0)
    head += struct.pack("<I", zlib.crc32(head))
    head += struct.pack("<I", 0xFFFFFFFF if streaming else frames)
    per_frame = groups * levels
    codes = [(i * 7919) % codebook for i in range(frames * per_frame)]
    body = b""
    for start in range(0, frames, frames_per_chunk):
        count = min(frames_per_chunk, frames - start)
        chunk_codes = codes[start * per_frame:(start + count) * per_frame]
        packed = bytearray((len(chunk_codes) * bits + 7) // 8)
        for index, code in enumerate(chunk_codes):
            for b in range(bits):
                if code >> b & 1:
                    bit = index * bits + b
                    packed[bit >> 3] |= 1 << (bit & 7)
        piece = struct.pack("<H", count) + bytes(packed)
        body += piece + struct.pack("<I", zlib.crc32(piece))
    trailer = struct.pack("<HI", 0, frames)
    return head + body + trailer + struct.pack("<I", zlib.crc32(trailer))


def sluc():
    # First byte: the harness's checksum repair (0 none, 1 the header's, 3 every one); the files are valid as they are.
    put("sluc", "codec-shape.sluc", b"\x00" + sluc_file(2, 4, 1024, 50, 120, streaming=False))
    put("sluc", "streamed.sluc", b"\x03" + sluc_file(1, 2, 300, 7, 20, streaming=True))
    put("sluc", "empty.sluc", b"\x01" + sluc_file(1, 1, 2, 1, 0, streaming=False))


def series():
    # First byte: the missing-value policy (0 keep, 1 previous, 2 error).
    with open(os.path.join(ROOT, "Samples", "nile.csv"), "rb") as f:
        put("series-csv", "nile.csv", b"\x00" + b"".join(f.readlines()[:30]))
    with open(os.path.join(ROOT, "Samples", "etth1-head.csv"), "rb") as f:
        put("series-csv", "etth1.csv", b"\x01" + b"".join(f.readlines()[:12]))
    put("series-csv", "gaps.csv", b"\x02timestamp,a,b\r\n2024-01-01,1.5,\n2024-01-02,nan,2e3\n\n2024-01-03, -4 ,NaN\n")
    rows = [{"timestamp": f"2024-01-0{i + 1}", "load": 1.5 * i, "temp": 20 - i} for i in range(5)]
    rows[2]["temp"] = None
    put("series-jsonl", "rows.jsonl", "\x00" + "\n".join(json.dumps(r) for r in rows) + "\n")
    put("series-jsonl", "previous.jsonl", '\x01{"ts": 1, "x": 0.25}\n{"ts": 2}\n\n{"ts": 3, "x": -1e3}\r\n')


if __name__ == "__main__":
    if os.path.isdir(CORPUS):
        for name in os.listdir(CORPUS):
            if os.path.isdir(os.path.join(CORPUS, name)):
                shutil.rmtree(os.path.join(CORPUS, name))
    os.makedirs(os.path.join(CORPUS, "pipeline-yaml"), exist_ok=True)
    for make in (audio_file, raw_pcm, pipeline_yaml, multipart, stream_protocol, sluc, series):
        make()

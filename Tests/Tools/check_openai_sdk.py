"""Drives `sluice serve` with OpenAI's official Python SDK, as a user of the API would.

Usage: check_openai_sdk.py BASE_URL API_KEY AUDIO_FILE
Lists and retrieves models, streams a transcription (stream=True) through the SDK's event iterator, asks for
verbose_json, and checks that a wrong key is refused. Prints one JSON object (the streamed text, the number of
deltas, the model ids, the usage objects) and exits 1 with a message at the first check that fails.
"""
import json
import sys

import openai
from openai import OpenAI


def fail(message):
    print(f"check_openai_sdk: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    base_url, api_key, audio = sys.argv[1:4]
    client = OpenAI(base_url=f"{base_url}/v1", api_key=api_key, max_retries=0, timeout=300)

    ids = [model.id for model in client.models.list()]
    if "whisper-1" not in ids:
        fail(f"whisper-1 not in the models listed: {ids}")
    if client.models.retrieve("whisper-1").id != "whisper-1":
        fail("models.retrieve('whisper-1') answered another model")

    deltas, done = [], None
    with open(audio, "rb") as file:
        stream = client.audio.transcriptions.create(model="whisper-1", file=file, stream=True)
        for event in stream:
            if event.type == "transcript.text.delta":
                deltas.append(event.delta)
            elif event.type == "transcript.text.done":
                done = event
            else:
                fail(f"unexpected event type {event.type}")
    if done is None:
        fail(f"no transcript.text.done event after {len(deltas)} deltas")
    if "".join(deltas) != done.text:
        fail(f"the deltas {deltas!r} do not add up to the final text {done.text!r}")
    if done.usage is None or done.usage.type != "tokens" or done.usage.total_tokens <= 0:
        fail(f"the done event's usage is {done.usage!r}")

    with open(audio, "rb") as file:
        verbose = client.audio.transcriptions.create(model="whisper-1", file=file, response_format="verbose_json")
    if not verbose.segments or verbose.segments[0].id != 0:
        fail("verbose_json segments are not numbered from 0")
    if verbose.usage is None or verbose.usage.type != "duration" or verbose.usage.seconds <= 0:
        fail(f"verbose_json usage is {verbose.usage!r}")

    wrong = OpenAI(base_url=f"{base_url}/v1", api_key="not-a-key", max_retries=0, timeout=60)
    try:
        wrong.models.list()
        fail("a wrong key was accepted")
    except openai.AuthenticationError as error:
        if error.code != "invalid_api_key":
            fail(f"a wrong key got code {error.code!r}")

    print(json.dumps({
        "text": done.text, "deltas": len(deltas), "models": ids,
        "usage": done.usage.model_dump(), "verbose_usage": verbose.usage.model_dump(),
    }))


if __name__ == "__main__":
    main()

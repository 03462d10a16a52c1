"""Drives the live-captions page in headless Chromium over the Chrome DevTools Protocol (CDP).

Usage: web_page_check.py CHROMIUM URL SPEECH.wav UPLOAD_FILE WORDS SCREENSHOT.png [TIMEOUT_S]

Chromium's fake microphone plays SPEECH.wav (looped). The script opens URL, presses Start, waits until the
final lane shows at least WORDS words (or TIMEOUT_S passes), presses Stop and waits for the stream to close,
then uploads UPLOAD_FILE through the page's upload box and waits for its text, and saves a screenshot.
It prints one JSON object: {"stream_state", "final_text", "upload_state", "upload_text", "error", "console"}
and exits 0; 1 when the browser or the page could not be driven (the message says where).
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from websockets.sync.client import connect


class DevTools:
    """A CDP session with one page: numbered commands, events kept for whoever asks for them."""

    def __init__(self, socket):
        self.socket = socket
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for_event(self, method, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(index)
            try:
                self.events.append(json.loads(self.socket.recv(timeout=max(0.1, deadline - time.monotonic()))))
            except TimeoutError:
                break
        raise RuntimeError(f"no {method} within {timeout} s")

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page, run as if the user had acted (a user gesture)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, userGesture=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console(self):
        """What the page logged or threw so far."""
        lines = []
        for event in self.events:
            if event.get("method") == "Runtime.consoleAPICalled":
                lines.append(" ".join(str(arg.get("value", arg.get("description", ""))) for arg in event["params"]["args"]))
            elif event.get("method") == "Runtime.exceptionThrown":
                details = event["params"]["exceptionDetails"]
                lines.append(details.get("exception", {}).get("description", details.get("text", "")))
        return lines


def launch(chromium, wav, profile):
    """Headless Chromium with a fake microphone playing `wav`; the DevTools WebSocket URL of its page."""
    arguments = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}",
        "--autoplay-policy=no-user-gesture-required", f"--user-data-dir={profile}", "--remote-debugging-port=0",
        "--window-size=1280,900", "about:blank",
    ]
    process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if os.path.exists(port_file):
            with open(port_file) as file:
                first = file.readline().strip()
            if first.isdigit():
                with urllib.request.urlopen(f"http://127.0.0.1:{first}/json/list", timeout=10) as response:
                    pages = [target for target in json.load(response) if target["type"] == "page"]
                if pages:
                    return process, pages[0]["webSocketDebuggerUrl"]
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with status {process.returncode} before it listened")
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("chromium did not open its DevTools port within 60 s")


def wait_until(condition, timeout, interval=0.25):
    """Polls `condition` until it is truthy or `timeout` seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def main():
    chromium, url, wav, upload, words, screenshot = sys.argv[1:7]
    timeout = float(sys.argv[7]) if len(sys.argv) > 7 else 90
    words = int(words)
    profile = tempfile.mkdtemp(prefix="sluice-chromium-")
    process = None
    try:
        process, page = launch(chromium, wav, profile)
        with connect(page, max_size=None, open_timeout=30) as socket:
            result = drive(DevTools(socket), url, wav, upload, words, screenshot, timeout)
        print(json.dumps(result))
    except Exception as error:  # any failure is reported, with what failed
        print(f"web_page_check: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(profile, ignore_errors=True)


def drive(tools, url, wav, upload, words, screenshot, timeout):
    """Start, wait for the words, stop, upload, screenshot: what the page showed."""
    tools.call("Runtime.enable")
    tools.call("Page.enable")
    tools.call("Page.navigate", url=url)
    tools.wait_for_event("Page.loadEventFired", 30)
    wait_until(lambda: tools.evaluate("document.getElementById('state').dataset.state === 'idle'"), 10)

    def text(selector):
        return tools.evaluate(f"document.querySelector({json.dumps(selector)}).textContent")

    def state(element="state"):
        return tools.evaluate(f"document.getElementById('{element}').dataset.state ?? ''")

    def final_words():
        # Words as the test counts them: letters and apostrophes ("flower-fattened" is two).
        return tools.evaluate(
            "document.querySelector('#lane-transcript .final').textContent.toLowerCase()"
            ".split(/[^\\p{L}']+/u).filter(Boolean).length")

    tools.evaluate("document.getElementById('start').click()")
    wait_until(lambda: final_words() >= words or state() in ("failed", "closed"), timeout)
    if state() == "live":
        tools.evaluate("document.getElementById('stop').click()")
        wait_until(lambda: state() in ("closed", "failed"), 30)
    stream_state = state()
    final_text = text("#lane-transcript .final")

    document = tools.call("DOM.getDocument")
    node = tools.call("DOM.querySelector", nodeId=document["root"]["nodeId"], selector="#upload-file")
    tools.call("DOM.setFileInputFiles", files=[os.path.abspath(upload)], nodeId=node["nodeId"])
    tools.evaluate("document.getElementById('upload-submit').click()")
    wait_until(lambda: state("upload-state") in ("done", "failed"), 120)
    result = {
        "stream_state": stream_state,
        "final_text": final_text,
        "upload_state": state("upload-state"),
        "upload_text": text("#upload-text"),
        "error": text("#error"),
        "console": tools.console(),
    }
    shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    with open(screenshot, "wb") as file:
        file.write(base64.b64decode(shot["data"]))
    return result


if __name__ == "__main__":
    main()

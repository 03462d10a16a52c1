// One /v1/stream session, as a state machine over the WebSocket's open, message and close events.

/** Chunks kept while connecting, sent once the socket opens: 5 s of 100 ms chunks. */
const MAX_PENDING_CHUNKS = 50;

/**
 * States: `connecting` → `live` (audio flows) → `finishing` (`{"eof":1}` sent; the last finals are on their way)
 * → `closed`; or `failed` from any of them, with a message saying why.
 */
export class CaptionStream {
  /**
   * @param {URL} url the /v1/stream URL (settings.js's streamURL)
   * @param {{onEvent: (event: object) => void, onStateChange: (state: string, message?: string) => void}} handlers
   */
  constructor(url, { onEvent, onStateChange }) {
    this.onEvent = onEvent;
    this.onStateChange = onStateChange;
    this.state = "connecting";
    this.opened = false;
    /** The last `{"type":"error"}` event's message: why the server is closing. */
    this.serverError = null;
    /** Audio captured before the socket opened. */
    this.pending = [];
    this.socket = new WebSocket(url);
    this.socket.binaryType = "arraybuffer";
    this.socket.onopen = () => {
      this.opened = true;
      if (this.state !== "connecting") return;
      for (const chunk of this.pending.splice(0)) this.socket.send(chunk);
      this.enter("live");
    };
    this.socket.onmessage = (message) => this.received(message.data);
    this.socket.onclose = (close) => this.closed(close.code, close.reason);
    onStateChange(this.state);
  }

  /** Sends PCM while the stream is live (keeps it while connecting); false when it was dropped. */
  sendAudio(chunk) {
    if (this.state === "connecting" && this.pending.length < MAX_PENDING_CHUNKS) {
      this.pending.push(chunk);
      return true;
    }
    if (this.state !== "live") return false;
    this.socket.send(chunk);
    return true;
  }

  /** Ends the stream: `{"eof":1}`, then the server sends its last finals and closes. */
  finish() {
    if (this.state === "live") {
      this.socket.send(JSON.stringify({ eof: 1 }));
      this.enter("finishing");
    } else if (this.state === "connecting") {
      // Stopped before the server answered: nothing was sent, so nothing is lost.
      this.enter("closed");
      this.socket.close();
    }
  }

  received(data) {
    if (typeof data !== "string") return;
    let event;
    try {
      event = JSON.parse(data);
    } catch {
      return this.fail(`the server sent a message that is not JSON: ${data.slice(0, 80)}`);
    }
    if (event.type === "error") this.serverError = String(event.message ?? "unknown error");
    else this.onEvent(event);
  }

  closed(code, reason) {
    if (this.state === "closed" || this.state === "failed") return;
    if (this.serverError) return this.fail(this.serverError);
    if (code === 1000 && this.state === "finishing") return this.enter("closed");
    if (code === 1001) return this.fail(reason || "the server is shutting down");
    if (!this.opened) {
      return this.fail("could not connect to the stream endpoint: is the server running with a stream pipeline, and is the API key right?");
    }
    this.fail(`the connection closed unexpectedly (code ${code}${reason ? `: ${reason}` : ""})`);
  }

  fail(message) {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close();
    this.enter("failed", message);
  }

  enter(state, message) {
    this.state = state;
    this.onStateChange(state, message);
  }
}

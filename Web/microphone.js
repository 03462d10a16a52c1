// The microphone as a source of 16 kHz s16le chunks: getUserMedia → AudioWorklet (pcm-worklet.js).

/** How long stopping waits for the worklet's last chunk before giving up on it. */
const FLUSH_TIMEOUT_MS = 1000;
/** How long the audio context may take to start running. */
const START_TIMEOUT_MS = 5000;

/** An open microphone; `onChunk(ArrayBuffer)` gets 100 ms of 16 kHz mono s16le at a time. */
export class Microphone {
  /** Asks for the microphone (the browser may prompt) and starts sending chunks. */
  static async open(onChunk) {
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      throw new Error("the microphone needs a secure page: open it over https, or on localhost");
    }
    if (typeof AudioWorkletNode === "undefined") throw new Error("this browser has no AudioWorklet");
    let media;
    try {
      media = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
    } catch (error) {
      throw new Error(`no microphone: ${error.name === "NotAllowedError" ? "permission was refused" : error.message}`);
    }
    const context = new AudioContext();
    try {
      await context.audioWorklet.addModule(new URL("pcm-worklet.js", import.meta.url));
      const source = context.createMediaStreamSource(media);
      const encoder = new AudioWorkletNode(context, "pcm-encoder", { numberOfInputs: 1, numberOfOutputs: 1 });
      encoder.port.onmessage = (message) => {
        if (message.data instanceof ArrayBuffer) onChunk(message.data);
      };
      source.connect(encoder);
      // Connected to the output (it writes silence), so that every browser keeps running it.
      encoder.connect(context.destination);
      await startRunning(context);
      return new Microphone(media, context, source, encoder);
    } catch (error) {
      media.getTracks().forEach((track) => track.stop());
      context.close().catch(() => {}); // a context that never started may never close either
      throw error;
    }
  }

  constructor(media, context, source, encoder) {
    this.media = media;
    this.context = context;
    this.source = source;
    this.encoder = encoder;
    this.stopping = null;
  }

  /** The microphone's name, as the browser reports it. */
  get label() {
    return this.media.getAudioTracks()[0]?.label ?? "microphone";
  }

  /** Stops capturing: the last partial chunk is sent first, then the device is released. Idempotent. */
  stop() {
    this.stopping ??= this.release();
    return this.stopping;
  }

  async release() {
    this.source.disconnect();
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
      this.encoder.port.addEventListener("message", (message) => {
        if (message.data === "flushed") {
          clearTimeout(timer);
          resolve();
        }
      });
      this.encoder.port.postMessage("flush");
    });
    this.media.getTracks().forEach((track) => track.stop());
    await this.context.close();
  }
}

/** Resumes `context`; throws when it does not start (a browser without an audio output device never does). */
async function startRunning(context) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("the browser's audio engine did not start: is there an audio output device?")), START_TIMEOUT_MS);
  });
  try {
    await Promise.race([context.resume(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

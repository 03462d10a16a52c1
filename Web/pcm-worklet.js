// AudioWorklet module: the microphone's samples, at the audio context's rate, become 16 kHz mono s16le
// messages of 100 ms for /v1/stream. Runs on the audio rendering thread, so it allocates nothing per block.

const TARGET_RATE = 16000;
/** Samples per message: 100 ms at 16 kHz. */
const CHUNK_SAMPLES = 1600;
/** Zero crossings of the low-pass kernel on each side: a sharp enough cut for speech at small cost. */
const ZERO_CROSSINGS = 8;

/**
 * Band-limited resampling by a windowed-sinc kernel evaluated at each output instant (any rate ratio): the
 * kernel's cut-off sits below both Nyquist rates, so 48 or 44.1 kHz come down to 16 kHz without aliasing.
 */
class Resampler {
  constructor(inputRate, outputRate) {
    /** Input samples per output sample. */
    this.step = inputRate / outputRate;
    /** Cut-off in cycles per input sample, a little under the lower Nyquist rate. */
    this.cutoff = 0.45 * Math.min(1, outputRate / inputRate);
    this.halfWidth = Math.ceil(ZERO_CROSSINGS / (2 * this.cutoff));
    this.buffer = new Float32Array(4 * this.halfWidth + 8192);
    // The buffer starts with half a kernel of silence, so the first output sample is centred on the first input.
    this.length = this.halfWidth;
    /** Where the next output sample falls, in input samples from the buffer's start. */
    this.position = this.halfWidth;
  }

  /** Takes input samples; calls `emit(sample)` for each output sample they complete. */
  push(samples, emit) {
    let offset = 0;
    while (offset < samples.length) {
      const count = Math.min(samples.length - offset, this.buffer.length - this.length);
      this.buffer.set(samples.subarray(offset, offset + count), this.length);
      this.length += count;
      offset += count;
      this.drain(emit);
    }
  }

  /** Emits what the input so far completes, padding the end with silence. */
  flush(emit) {
    this.push(new Float32Array(this.halfWidth + 1), emit);
  }

  drain(emit) {
    while (this.position + this.halfWidth < this.length) {
      emit(this.sampleAt(this.position));
      this.position += this.step;
    }
    // Keep the samples that the next output's kernel still reaches.
    const keep = Math.max(0, Math.floor(this.position) - this.halfWidth);
    this.buffer.copyWithin(0, keep, this.length);
    this.length -= keep;
    this.position -= keep;
  }

  /** The band-limited signal at `time` (input samples): a Blackman-windowed sinc sum. */
  sampleAt(time) {
    const first = Math.max(0, Math.ceil(time - this.halfWidth));
    const last = Math.min(this.length - 1, Math.floor(time + this.halfWidth));
    let sum = 0;
    for (let index = first; index <= last; index++) {
      const distance = index - time;
      const x = 2 * this.cutoff * distance;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const phase = (distance / this.halfWidth + 1) * Math.PI; // 0 … 2π across the kernel
      const window = 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
      sum += this.buffer[index] * sinc * window;
    }
    return 2 * this.cutoff * sum;
  }
}

/** The processor: mixes the input's channels to mono, resamples to 16 kHz and posts s16le chunks. */
class PcmEncoder extends AudioWorkletProcessor {
  constructor() {
    super();
    // `sampleRate` is the audio context's rate, a global of the worklet scope.
    this.resampler = new Resampler(sampleRate, TARGET_RATE);
    this.mono = new Float32Array(128);
    this.chunk = new Int16Array(CHUNK_SAMPLES);
    this.filled = 0;
    this.stopped = false;
    this.append = (sample) => {
      const clipped = Math.max(-1, Math.min(1, sample));
      this.chunk[this.filled++] = Math.round(clipped * 32767);
      if (this.filled === CHUNK_SAMPLES) this.post();
    };
    this.port.onmessage = (message) => {
      if (message.data !== "flush" || this.stopped) return;
      this.stopped = true;
      this.resampler.flush(this.append);
      this.post();
      this.port.postMessage("flushed");
    };
  }

  /** Sends the samples gathered so far (transferred, not copied) and starts a new chunk. */
  post() {
    if (this.filled === 0) return;
    const bytes = this.chunk.buffer.slice(0, this.filled * 2);
    this.port.postMessage(bytes, [bytes]);
    this.filled = 0;
  }

  process(inputs) {
    const channels = inputs[0];
    if (this.stopped) return false;
    if (!channels || channels.length === 0) return true; // no input connected yet
    const frames = channels[0].length;
    if (this.mono.length < frames) this.mono = new Float32Array(frames);
    const mono = this.mono.subarray(0, frames);
    mono.fill(0);
    for (const channel of channels) for (let i = 0; i < frames; i++) mono[i] += channel[i] / channels.length;
    this.resampler.push(mono, this.append);
    return true;
  }
}

registerProcessor("pcm-encoder", PcmEncoder);

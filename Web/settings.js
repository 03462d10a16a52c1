// What the page asks of the service, in one place: the stream's query string, how a stream asks for
// translation, and where the API key is kept.

/** The audio the microphone sends: 16 kHz mono 16-bit little-endian PCM (pcm-worklet.js makes it). */
export const STREAM_AUDIO = { sample_rate: "16000", format: "s16le" };

/**
 * What a stream adds to its query string to ask for translation into English (a multilingual model must be
 * served): the source and target lanes then come as events with `lane: "source"` and `lane: "target"`.
 */
export const TRANSLATE_STREAM_QUERY = { task: "translate" };

/** The model name sent with uploads; the service takes `whisper-1` as its served model, as OpenAI's API does. */
export const UPLOAD_MODEL = "whisper-1";

const API_KEY_ITEM = "sluice.apiKey";

/** The API key typed on this tab (sessionStorage: it is gone when the tab closes), or "" for none. */
export function loadApiKey() {
  try {
    return sessionStorage.getItem(API_KEY_ITEM) ?? "";
  } catch {
    return ""; // storage disabled: the key lives in the field only
  }
}

/** Keeps `key` for this tab; an empty key is removed. */
export function saveApiKey(key) {
  try {
    if (key) sessionStorage.setItem(API_KEY_ITEM, key);
    else sessionStorage.removeItem(API_KEY_ITEM);
  } catch {
    // storage disabled: nothing to keep
  }
}

/**
 * The `/v1/stream` WebSocket URL on the page's own server: ws: beside http:, wss: beside https:. The key goes
 * in the query (`api_key`), since browsers cannot set headers on a WebSocket.
 */
export function streamURL(location, { apiKey = "", translate = false } = {}) {
  const url = new URL("/v1/stream", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const query = { ...STREAM_AUDIO, ...(translate ? TRANSLATE_STREAM_QUERY : {}), ...(apiKey ? { api_key: apiKey } : {}) };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

/** Headers for an HTTP request to the service: `Authorization: Bearer KEY` when there is a key. */
export function authorization(apiKey) {
  return apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
}

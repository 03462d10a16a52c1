// The page: wires the controls to the microphone, the stream and the upload endpoint.

import { CaptionLanes, TRANSCRIPT_LANE } from "./captions.js";
import { Microphone } from "./microphone.js";
import { CaptionStream } from "./stream-client.js";
import { loadApiKey, saveApiKey, streamURL } from "./settings.js";
import { transcribeFile } from "./upload.js";

const element = (id) => document.getElementById(id);
const ui = {
  start: element("start"),
  stop: element("stop"),
  translate: element("translate"),
  apiKey: element("api-key"),
  state: element("state"),
  error: element("error"),
  uploadForm: element("upload-form"),
  uploadFile: element("upload-file"),
  uploadSubmit: element("upload-submit"),
  uploadState: element("upload-state"),
  uploadText: element("upload-text"),
};

const STATE_TEXT = {
  idle: "Ready",
  connecting: "Connecting…",
  live: "Live",
  finishing: "Finishing…",
  closed: "Stopped",
  failed: "Stopped after an error",
};

/** The running session: its stream, microphone, caption state and how many finals each lane shows. */
let session = null;

function showError(message) {
  ui.error.textContent = message ?? "";
  ui.error.hidden = !message;
}

function showState(state, detail) {
  ui.state.dataset.state = state;
  ui.state.textContent = detail ? `${STATE_TEXT[state]} — ${detail}` : STATE_TEXT[state];
}

/** The lanes a stream shows: one transcript, or the spoken source and its translation side by side. */
function resetLanes(translate) {
  for (const lane of document.querySelectorAll(".lane")) {
    lane.hidden = translate === (lane.dataset.lane === TRANSCRIPT_LANE);
    lane.querySelector(".final").replaceChildren();
    lane.querySelector(".partial").textContent = "";
  }
}

/** Shows a lane's new finals (appended, so a screen reader reads only what is new) and its partial line. */
function render(captions, name, rendered) {
  const lane = document.querySelector(`.lane[data-lane="${name}"]`);
  if (!lane) return;
  if (lane.hidden) {
    // A translation stream's lanes, though translation was not asked for: the server decides what it serves.
    lane.hidden = false;
    if (name !== TRANSCRIPT_LANE) element(`lane-${TRANSCRIPT_LANE}`).hidden = true;
  }
  const state = captions.lane(name);
  const final = lane.querySelector(".final");
  for (const text of state.finals.slice(rendered.get(name) ?? 0)) {
    const piece = document.createElement("span");
    piece.textContent = text;
    final.append(piece);
  }
  rendered.set(name, state.finals.length);
  lane.querySelector(".partial").textContent = state.partial;
  const box = lane.querySelector(".captions");
  box.scrollTop = box.scrollHeight;
}

function setRunning(running) {
  ui.start.disabled = running;
  ui.translate.disabled = running;
  ui.apiKey.disabled = running;
  ui.stop.disabled = !running;
}

async function start() {
  showError("");
  setRunning(true);
  ui.stop.disabled = true; // until there is a stream to stop
  const translate = ui.translate.checked;
  resetLanes(translate);
  showState("connecting", "asking for the microphone");
  const captions = new CaptionLanes();
  const rendered = new Map();
  let microphone;
  try {
    microphone = await Microphone.open((chunk) => session?.stream.sendAudio(chunk));
  } catch (error) {
    showError(error.message);
    showState("failed");
    setRunning(false);
    return;
  }
  const stream = new CaptionStream(streamURL(window.location, { apiKey: ui.apiKey.value.trim(), translate }), {
    onEvent(event) {
      const lane = captions.apply(event);
      if (lane) render(captions, lane, rendered);
    },
    onStateChange(state, message) {
      showState(state, state === "live" ? microphone.label : undefined);
      if (message) showError(message);
      if (state === "finishing") ui.stop.disabled = true;
      if (state === "closed" || state === "failed") finished(microphone);
    },
  });
  session = { stream, microphone };
  ui.stop.disabled = false;
}

/** Ends the session from the page: the microphone's last audio goes out, then the end of the stream. */
async function stop() {
  if (!session) return;
  ui.stop.disabled = true;
  const { stream, microphone } = session;
  await microphone.stop();
  stream.finish();
}

function finished(microphone) {
  session = null;
  microphone.stop();
  setRunning(false);
}

async function upload(event) {
  event.preventDefault();
  const file = ui.uploadFile.files[0];
  if (!file) return;
  ui.uploadSubmit.disabled = true;
  ui.uploadText.textContent = "";
  ui.uploadState.dataset.state = "working";
  ui.uploadState.textContent = `Transcribing ${file.name}…`;
  try {
    const text = await transcribeFile(file, { apiKey: ui.apiKey.value.trim(), translate: ui.translate.checked });
    ui.uploadText.textContent = text || "(no speech)";
    ui.uploadState.dataset.state = "done";
    ui.uploadState.textContent = `Text of ${file.name}:`;
  } catch (error) {
    ui.uploadState.dataset.state = "failed";
    ui.uploadState.textContent = `${file.name} was not transcribed.`;
    showError(`Upload failed: ${error.message}`);
  } finally {
    ui.uploadSubmit.disabled = false;
  }
}

ui.apiKey.value = loadApiKey();
ui.apiKey.addEventListener("input", () => saveApiKey(ui.apiKey.value.trim()));
ui.start.addEventListener("click", start);
ui.stop.addEventListener("click", stop);
ui.uploadForm.addEventListener("submit", upload);
showState("idle");

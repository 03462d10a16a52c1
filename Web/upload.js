// A file through OpenAI's transcription (or translation) endpoint, as the official clients send it.

import { authorization, UPLOAD_MODEL } from "./settings.js";

/** The text of `file`, transcribed (or translated into English); throws with the server's message. */
export async function transcribeFile(file, { apiKey = "", translate = false } = {}) {
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("model", UPLOAD_MODEL);
  const path = translate ? "/v1/audio/translations" : "/v1/audio/transcriptions";
  let response;
  try {
    response = await fetch(path, { method: "POST", headers: authorization(apiKey), body: form });
  } catch (error) {
    throw new Error(`could not reach the server: ${error.message}`);
  }
  const body = await response.text();
  let parsed = null;
  try {
    parsed = JSON.parse(body);
  } catch {
    // not JSON: reported below
  }
  if (!response.ok) {
    const message = parsed?.error?.message ?? (body.trim() || response.statusText);
    throw new Error(`${response.status}: ${message}`);
  }
  if (typeof parsed?.text !== "string") throw new Error("the server's answer has no text");
  return parsed.text.trim();
}

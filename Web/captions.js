// The captions of one stream, lane by lane: settled final text and the partial line that follows it.

/** The lane of a transcription stream's events (they carry no `lane`). */
export const TRANSCRIPT_LANE = "transcript";

/**
 * Caption state, pure: stream events in, each lane's final text and partial line out. A final event appends
 * to its lane and clears the partial (its words were in it); a partial event replaces the partial line.
 */
export class CaptionLanes {
  constructor() {
    /** @type {Map<string, {finals: string[], partial: string}>} */
    this.lanes = new Map();
  }

  /** Applies one `partial` or `final` event; the lane it changed, or null for any other event. */
  apply(event) {
    if (event.type !== "partial" && event.type !== "final") return null;
    const name = event.lane ?? TRANSCRIPT_LANE;
    const lane = this.lane(name);
    const text = typeof event.text === "string" ? event.text : "";
    if (event.type === "final") {
      lane.finals.push(text);
      lane.partial = "";
    } else {
      lane.partial = text;
    }
    return name;
  }

  /** The lane's state, created empty on first use. */
  lane(name) {
    if (!this.lanes.has(name)) this.lanes.set(name, { finals: [], partial: "" });
    return this.lanes.get(name);
  }

  /** The lane's settled text so far. */
  finalText(name) {
    return this.lane(name).finals.join("").trim();
  }
}

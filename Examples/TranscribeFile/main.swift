// Transcribes one audio file with Whisper tiny.en, using the SluiceWhisper library alone (no pipeline engine):
//   sluice models fetch tiny.en && .build/release/transcribe-file Samples/1089-134686-0001.flac
import Foundation
import SluiceWhisper

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: transcribe-file AUDIO_FILE\n".utf8))
    exit(64)
}
let model = try WhisperModel(directory: ModelStore().resolve("tiny.en"))
let features = try MelFeatures.read(path: CommandLine.arguments[1], mels: model.config.mels)
let transcript = try Transcriber(model: model).transcribe(features)
print(transcript.text.trimmingCharacters(in: .whitespaces))

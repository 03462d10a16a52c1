import CFFmpeg
import CSndFile

extension AudioDecoder {
    /// The file name extensions (lowercase) of the files `AudioDecoder` reads: libsndfile's and FFmpeg's.
    public static let fileExtensions: Set<String> = SndFileDecoder.fileExtensions.union(FFmpegDecoder.fileExtensions)
}

extension SndFileDecoder {
    /// The file name extensions (lowercase) of the containers this libsndfile build reads, as it lists
    /// them, plus the usual aliases (`ogg`/`opus` for Ogg, `mp3`/`mp2` for MPEG audio, `aif`).
    ///
    /// Left out: raw PCM (it needs its format spelled out), and `mat` and `htk`, which in speech
    /// corpora far more often hold data and features than audio.
    public static let fileExtensions: Set<String> = {
        var count: Int32 = 0
        sf_command(nil, Int32(SFC_GET_FORMAT_MAJOR_COUNT), &count, Int32(MemoryLayout<Int32>.size))
        var extensions = Set<String>()
        for index in 0..<count {
            var info = SF_FORMAT_INFO()
            info.format = index
            guard sf_command(nil, Int32(SFC_GET_FORMAT_MAJOR), &info, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0,
                info.format != Int32(SF_FORMAT_RAW), let name = info.extension
            else { continue }
            extensions.insert(String(cString: name).lowercased())
        }
        let aliases: [String: [String]] = ["oga": ["ogg", "opus"], "m1a": ["mp3", "mp2"], "aiff": ["aif"]]
        for (listed, more) in aliases where extensions.contains(listed) { extensions.formUnion(more) }
        return extensions.subtracting(["mat", "htk"])
    }()
}

extension FFmpegDecoder {
    /// The extensions of audio and audio-bearing video files, each with the FFmpeg demuxer that reads it;
    /// `fileExtensions` keeps those whose demuxer the installed FFmpeg has.
    ///
    /// A list rather than every demuxer's extensions: FFmpeg also reads images, subtitles and text
    /// (`jpg`, `srt`, `txt`), which a batch over a folder must not take for recordings.
    static let demuxerByExtension: [String: String] = [
        "m4a": "mov", "m4b": "mov", "mp4": "mov", "m4v": "mov", "mov": "mov", "3gp": "mov", "3g2": "mov",
        "mkv": "matroska", "mka": "matroska", "webm": "matroska", "weba": "matroska",
        "ogg": "ogg", "oga": "ogg", "ogv": "ogg", "opus": "ogg", "spx": "ogg",
        "mp3": "mp3", "mp2": "mp3", "aac": "aac", "ac3": "ac3", "eac3": "eac3", "dts": "dts",
        "amr": "amr", "awb": "amr", "wma": "asf", "wmv": "asf", "asf": "asf",
        "avi": "avi", "flv": "flv", "ts": "mpegts", "mts": "mpegts", "m2ts": "mpegts",
        "mpg": "mpeg", "mpeg": "mpeg", "vob": "mpeg", "caf": "caf", "wv": "wv", "ape": "ape", "tta": "tta",
        "mpc": "mpc", "ra": "rm", "rm": "rm", "gsm": "gsm", "wav": "wav", "w64": "w64", "aiff": "aiff",
        "aif": "aiff", "au": "au", "flac": "flac",
    ]

    /// The file name extensions (lowercase) FFmpeg decodes here: those of `demuxerByExtension` whose
    /// demuxer this FFmpeg build has.
    public static let fileExtensions: Set<String> = Set(
        demuxerByExtension.filter { _, demuxer in av_find_input_format(demuxer) != nil }.keys)
}

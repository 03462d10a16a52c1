import CSndFile

extension AudioDecoder {
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

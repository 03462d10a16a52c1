import SluiceNN

/// The encoded audio of one window, projected once into every decoder layer's cross-attention keys and values.
public struct CrossAttentionMemory: Sendable {
    /// Per layer: positions × 2·width (keys, then values, in each row).
    let keyValues: [[Float]]
    /// Encoder positions (1500 for a 30 s window).
    public let positions: Int
}

/// One hypothesis's decoder self-attention cache. Copies share storage until one of them grows, so beams
/// that descend from one parent copy its cache only when they diverge.
public struct DecoderCache: Sendable {
    /// Per layer: tokens × width.
    var keys: [[Float]]
    var values: [[Float]]
    /// Tokens in the cache.
    public private(set) var length = 0

    init(layers: Int) {
        keys = Array(repeating: [], count: layers)
        values = Array(repeating: [], count: layers)
    }

    mutating func advance(by count: Int) { length += count }
}

/// Raw cross-attention scores of selected heads, captured during a decoder pass (for word alignment).
public struct CrossAttentionCapture: Sendable {
    /// Per requested (layer, head): the pass's rows × the memory's positions, before softmax.
    public var scores: [[Float]]
}

extension WhisperModel {
    /// Projects `encoded` (positions × width) into every decoder layer's cross-attention keys and values.
    public func crossAttentionMemory(encoded: [Float]) -> CrossAttentionMemory {
        let positions = encoded.count / config.width
        return CrossAttentionMemory(keyValues: decoderLayers.map { $0.crossKeyValue(encoded, rows: positions) }, positions: positions)
    }

    /// An empty self-attention cache.
    public func emptyCache() -> DecoderCache { DecoderCache(layers: decoderLayers.count) }

    /// Runs one or more token sequences through the decoder, each extending its own cache.
    ///
    /// Rows of all sequences go through the dense layers together (one matrix product per layer);
    /// attention runs per sequence. Prompt prefill is one sequence of many tokens; a beam-search step is
    /// several sequences of one token each.
    /// - Parameters:
    ///   - sequences: the new tokens of each sequence.
    ///   - caches: one per sequence, extended in place.
    ///   - logitRows: for each sequence, the indices (into its new tokens) whose logits are wanted.
    ///   - capture: (layer, head) pairs whose cross-attention scores to return.
    /// - Returns: logits (vocabulary-sized) in the order of `logitRows`, flattened over sequences.
    public func decode(
        _ sequences: [[Int]], caches: inout [DecoderCache], memory: CrossAttentionMemory,
        logitRows: [[Int]], capture: [(layer: Int, head: Int)] = []
    ) -> (logits: [[Float]], attention: CrossAttentionCapture) {
        precondition(sequences.count == caches.count && sequences.count == logitRows.count)
        let width = config.width, heads = config.decoderHeads
        let rows = sequences.reduce(0) { $0 + $1.count }
        var hidden = [Float](repeating: 0, count: rows * width)
        var rowStart: [Int] = []
        var row = 0
        decoderPositions.values.withUnsafeBufferPointer { positions in
            for (sequence, tokens) in sequences.enumerated() {
                rowStart.append(row)
                precondition(
                    caches[sequence].length + tokens.count <= config.textContext,
                    "the decoder holds \(config.textContext) tokens")
                for (offset, token) in tokens.enumerated() {
                    let position = caches[sequence].length + offset
                    let embedding = embeddings.row(token)
                    for c in 0..<width { hidden[row * width + c] = embedding[c] + positions[position * width + c] }
                    row += 1
                }
            }
        }
        var captured = CrossAttentionCapture(scores: Array(repeating: [], count: capture.count))
        for (index, layer) in decoderLayers.enumerated() {
            // Causal self-attention over each sequence's cache plus its new tokens.
            let qkv = layer.attention.queryKeyValue(layer.attention.norm(hidden), rows: rows)
            var attended = [Float](repeating: 0, count: rows * width)
            for (sequence, tokens) in sequences.enumerated() where !tokens.isEmpty {
                let first = rowStart[sequence], start = caches[sequence].length
                for r in first..<(first + tokens.count) {
                    caches[sequence].keys[index].append(contentsOf: qkv[(r * 3 * width + width)..<(r * 3 * width + 2 * width)])
                    caches[sequence].values[index].append(contentsOf: qkv[(r * 3 * width + 2 * width)..<(r * 3 * width + 3 * width)])
                }
                let result = qkv.withUnsafeBufferPointer { q in
                    caches[sequence].keys[index].withUnsafeBufferPointer { k in
                        caches[sequence].values[index].withUnsafeBufferPointer { v in
                            Ops.attention(
                                q: q.baseAddress! + first * 3 * width, qStride: 3 * width, queries: tokens.count,
                                k: k.baseAddress!, v: v.baseAddress!, kvStride: width, keys: start + tokens.count,
                                width: width, heads: heads, causalOffset: start)
                        }
                    }
                }
                attended.replaceSubrange((first * width)..<((first + tokens.count) * width), with: result)
            }
            Ops.add(&hidden, layer.attention.output(attended, rows: rows))

            // Cross-attention: every row against the same encoded audio.
            let query = layer.crossQuery(layer.crossNorm(hidden), rows: rows)
            let wanted = capture.enumerated().filter { $0.element.layer == index }
            let crossAttended = query.withUnsafeBufferPointer { q in
                memory.keyValues[index].withUnsafeBufferPointer { kv in
                    Ops.attention(
                        q: q.baseAddress!, qStride: width, queries: rows, k: kv.baseAddress!, v: kv.baseAddress! + width,
                        kvStride: 2 * width, keys: memory.positions, width: width, heads: heads, causalOffset: nil,
                        scores: wanted.isEmpty
                            ? nil
                            : { head, scores in
                                for (slot, pair) in wanted where pair.head == head { captured.scores[slot] = Array(scores) }
                            })
                }
            }
            Ops.add(&hidden, layer.crossOutput(crossAttended, rows: rows))
            Ops.add(&hidden, layer.feedForward(hidden, rows: rows))
        }
        for (sequence, tokens) in sequences.enumerated() { caches[sequence].advance(by: tokens.count) }

        // Logits of the wanted rows: final norm, then the tied embedding matrix.
        let selected = zip(rowStart, logitRows).flatMap { start, wanted in wanted.map { start + $0 } }
        guard !selected.isEmpty else { return ([], captured) }
        var gathered = [Float](repeating: 0, count: selected.count * width)
        for (slot, r) in selected.enumerated() {
            gathered.replaceSubrange((slot * width)..<((slot + 1) * width), with: hidden[(r * width)..<((r + 1) * width)])
        }
        let normed = decoderNorm(gathered)
        let vocabulary = config.vocabularySize
        let logits = Ops.linear(normed, rows: selected.count, weight: embeddings)
        let split = (0..<selected.count).map { Array(logits[($0 * vocabulary)..<(($0 + 1) * vocabulary)]) }
        return (split, captured)
    }
}

/// The dataflow engine: formats, packets, bounded edges, stages, the graph runner.
public enum SluiceCore {}

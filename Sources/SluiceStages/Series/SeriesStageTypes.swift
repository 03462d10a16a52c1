import SluiceCore
import SluiceSeries

/// The stage, input and output types this module registers.
public enum SeriesStageTypes {
    public static let stages: [StageType] = [
        ScaleStage.type, WindowStage.type, ForecastStage.type, AnomalyStage.type, PlotStage.type,
    ]
    public static let sources: [SourceType] = [SeriesInput.type]
    public static let sinks: [SinkType] = [SeriesOutput.csv, SeriesOutput.jsonl]
}

import SluiceCore
/// Pipeline files: schema, stage registry, validation.
public enum SluicePipelines {}

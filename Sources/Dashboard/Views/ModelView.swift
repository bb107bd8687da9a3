/// The model a session trades (for `ml-ensemble`) with its out-of-sample figures as written by
/// `qt train`; for a rule strategy, its name and no figures.
public struct ModelView: Sendable, Hashable, Codable {
    /// One out-of-sample figure (`AUC`, `log loss`, `hit rate at threshold`, per fold or overall).
    public struct Figure: Sendable, Hashable, Codable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `ml-ensemble@<version>` or the rule strategy's name.
    public var name: String
    public var detail: String
    /// Out-of-sample figures; empty for a rule strategy.
    public var figures: [Figure]
    /// The model's own verdict (`no tradeable edge`), when it states one.
    public var verdict: String?

    public init(name: String, detail: String, figures: [Figure], verdict: String?) {
        self.name = name
        self.detail = detail
        self.figures = figures
        self.verdict = verdict
    }
}

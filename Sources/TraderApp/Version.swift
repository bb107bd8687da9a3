/// The product version printed by `qt --version`.
public enum QuantumTraderVersion {
    public static let current = "0.1.0"
}

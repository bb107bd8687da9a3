import Logging

let quietLogger = Logger(label: "alerts-test", factory: { _ in SwiftLogNoOpLogHandler() })

// Package arena owns a run: it plans personas × candidates × trials,
// dispatches every session as a job through JetStream to workers (in this
// process or others), plays it (the merchant from the simulator, the build
// over NATS, the store in the sandbox), has the judges score it, hands the
// verdict to the one recorder of the results file, and ranks the builds.
// It also replays logged conversations (Replay), calibrates the LLM judges
// against human labels (Calibrate, Labels, StoreLabels) and measures which
// defects each judge catches (Sensitivity).
//
// arena is where the peers meet: simulator, candidates, judges and results
// never import each other; arena converts between them.
package arena

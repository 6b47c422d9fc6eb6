// Package arena owns a run: it plans personas × candidates × trials, plays
// every session (the merchant from the simulator, the build over NATS, the
// store in the sandbox), has the judges score it, hands the verdict to the
// results writer, and ranks the builds.
//
// arena is where the peers meet: simulator, candidates, judges and results
// never import each other; arena converts between them.
package arena

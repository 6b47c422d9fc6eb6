// Package candidates owns the public SDK that puts a build of the store
// assistant under test, and the client the arena uses to reach it.
//
// A build implements [Handler] and calls [Serve], which registers a nats.go
// micro service with metadata arena.kind=candidate, named and versioned after
// the build, whose turn endpoint answers [TurnRequest] with [TurnReply].
// Replicas of one build share a queue group, so a build scales by starting
// more of it; each replica also runs up to [Build.MaxConcurrent] turns at
// once, because a micro endpoint alone serves one request at a time. A build
// calls its session's tools through [Turn.CallTool], which goes to the
// sandbox service so that every call is recorded.
//
// The arena side finds builds with [Discover] and plays turns with
// [Client.Turn], which turns the transport's failures into [ErrBuildDown],
// [ErrTimeout], [ErrPayloadTooLarge] and [*BuildError].
//
// Reference builds live in candidates/mutants and candidates/refagent and use
// only this SDK, like an outside build would. Subjects and metadata keys come
// from natsbus; this package never spells one. It imports sandbox, natsbus,
// transcript and nats.go, and never the simulator, judges or results.
package candidates

package calibrate_test

import (
	"testing"

	"github.com/merchantarena/merchantarena/examples"
	"github.com/merchantarena/merchantarena/transcript"
)

// exampleConversation returns a bundled conversation that makes tool calls.
func exampleConversation(tb testing.TB) transcript.Conversation {
	tb.Helper()
	convs, err := examples.Conversations()
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range convs {
		if c.ID == "toronto-customers" {
			return c
		}
	}
	tb.Fatal("no toronto-customers among the bundled examples")
	return transcript.Conversation{}
}

package simulator_test

import (
	"strings"
	"testing"

	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/simulator"
)

func TestSystemPrompt(t *testing.T) {
	t.Run("ShowsCard", func(t *testing.T) {
		p, err := simulator.SystemPrompt(torontoCard())
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"- Shop: Maple & Pine Outfitters",
			"- Expertise: novice.",
			"- Tone: brief, friendly",
			"- Language: en.",
			"about 2 unhelpful replies",
			"1. [g1] Find the customers from Toronto.\n   Done when: the assistant reports how many customers are in Toronto",
			"2. [g2] Make a segment of the enabled Toronto customers.",
			"- The segment should be called Toronto regulars.",
			"- how many orders Toronto customers placed last year",
		} {
			if !strings.Contains(p, want) {
				t.Errorf("prompt lacks %q:\n%s", want, p)
			}
		}
		// Expected outputs are what the build must find; the merchant must
		// not know them.
		if strings.Contains(p, "37") {
			t.Errorf("prompt leaks an expected output:\n%s", p)
		}
	})
	t.Run("Defaults", func(t *testing.T) {
		p, err := simulator.SystemPrompt(&personas.Card{Opening: "hi"})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"about 3 unhelpful replies",
			"Language: the language of your first message.",
			"(No goals are listed",
			"(No facts beyond your goals.)",
		} {
			if !strings.Contains(p, want) {
				t.Errorf("prompt lacks %q:\n%s", want, p)
			}
		}
		if strings.Contains(p, "- Shop:") || strings.Contains(p, "<no value>") {
			t.Errorf("prompt shows empty profile fields:\n%s", p)
		}
	})
}

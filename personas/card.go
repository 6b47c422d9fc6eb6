package personas

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Card is a persona card: who the merchant is, what they want, in which
// order, and what a build must do and say for each goal, as seen in the log
// the card was extracted from. Cards are content-addressed: ID is derived
// from the source conversation and the extractor version, so extracting the
// same log twice gives the same card ID.
type Card struct {
	ID        string  `json:"id"`
	Extractor string  `json:"extractor"`
	Source    Source  `json:"source"`
	Profile   Profile `json:"profile"`
	// Opening is the merchant's first message.
	Opening string `json:"opening"`
	Goals   []Goal `json:"goals"`
	// Facts are things the merchant stated and may reveal when asked.
	Facts []string `json:"facts"`
	// Unknowns are things the merchant does not know.
	Unknowns []string `json:"unknowns,omitempty"`
	Skills   []string `json:"skills"`
	// Script is every logged merchant message in order; the verbatim
	// simulator plays it.
	Script []string `json:"script"`
}

// Source names the conversation a card was extracted from. Hash is the
// sha256 of the conversation's canonical JSON.
type Source struct {
	Conversation string `json:"conversation"`
	File         string `json:"file,omitempty"`
	Line         int    `json:"line,omitempty"`
	Hash         string `json:"hash"`
}

// Profile is who the merchant is. The heuristic extractor fills what the log
// metadata says; the LLM extractor fills all of it.
type Profile struct {
	Shop      string `json:"shop,omitempty"`
	Industry  string `json:"industry,omitempty"`
	Expertise string `json:"expertise,omitempty"`
	Tone      string `json:"tone,omitempty"`
	Patience  int    `json:"patience,omitempty"`
	Language  string `json:"language,omitempty"`
}

// Goal is one merchant request. Turn is the 1-based merchant turn that asks
// for it. ExpectedActions are the tool calls the logged assistant made for
// it; ExpectedOutputs are facts from tool results that the logged reply
// passed on to the merchant.
type Goal struct {
	ID              string   `json:"id"`
	Turn            int      `json:"turn"`
	Request         string   `json:"request"`
	Skill           string   `json:"skill,omitempty"`
	SuccessTest     string   `json:"success_test,omitempty"`
	ExpectedActions []Action `json:"expected_actions"`
	ExpectedOutputs []string `json:"expected_outputs"`
}

// Action is one expected tool call.
type Action struct {
	Tool      string          `json:"tool"`
	Arguments json.RawMessage `json:"arguments"`
}

// cardID derives a card's ID from its source hash and extractor version.
func cardID(sourceHash, extractor string) string {
	sum := sha256.Sum256([]byte(sourceHash + "\x00" + extractor))
	return hex.EncodeToString(sum[:8])
}

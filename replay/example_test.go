package replay_test

import (
	"fmt"
	"os"

	"github.com/merchantarena/merchantarena/replay"
)

func ExampleCompare() {
	original := conv("c1", tturn{merchant: "tag cus_1002 vip", calls: []tcall{
		{"update_customer", `{"customer_id":"cus_1002","add_tags":["returning","vip"]}`, `{}`}}, reply: "Done."})
	played := conv("c1", tturn{merchant: "tag cus_1002 vip", calls: []tcall{
		{"update_customer", `{ "add_tags": ["returning", "VIP"], "customer_id": "cus_1002" }`, `{}`}}, reply: "Done."})
	d := replay.Compare(replay.Play{Conversation: original}, replay.Play{Conversation: played})
	for _, dv := range d.Divergences {
		fmt.Println(dv.Kind)
		fmt.Println(dv)
	}
	// Output:
	// argument:update_customer.add_tags
	// turn 1: call update_customer: arguments.add_tags[1]: want "vip" got "VIP"
}

func ExampleWriteText() {
	original := conv("c1", tturn{merchant: "who is cus_1002?", calls: []tcall{
		{"get_customer", `{"customer_id":"cus_1002"}`, `{"name":"Henry"}`}}, reply: "Henry Tremblay."})
	played := conv("c1", tturn{merchant: "who is cus_1002?", reply: "I cannot look customers up."})
	r := replay.NewReport(replay.Play{Conversation: original}, "verbatim")
	r.Add("opt-out@1.0.0", []replay.Play{{Conversation: played}})
	if err := replay.WriteText(os.Stdout, r, replay.TextOptions{Width: 72}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// replay of c1 (verbatim)
	//
	// build opt-out@1.0.0 ====================================================
	// 1 trial(s), 0 identical to the original
	// most common first divergence: turn 1 missing_call:get_customer (1/1
	//     trials)
	//   missing_call:get_customer: 1/1 trials (100%), 1 in all
	//
	// trial 1 of 1 -----------------------------------------------------------
	// 1 divergence(s); first: turn 1: missing call
	//     get_customer({"customer_id":"cus_1002"})
	//     original                         | candidate
	// -------------------------------------+---------------------------------
	//   1 merchant: who is cus_1002?       | merchant: (same)
	//   - get_customer({"customer_id":"cus |
	//     _1002"})                         |
	//     assistant: Henry Tremblay.       | assistant: I cannot look
	//                                      | customers up.
	//     » turn 1: missing call get_customer({"customer_id":"cus_1002"})
}

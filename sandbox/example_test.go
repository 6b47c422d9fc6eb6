package sandbox_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/sandbox"
)

func ExampleParseQuery() {
	q, err := sandbox.ParseQuery(`customer_account_status = ENABLED and customer_city = "Toronto"`)
	if err != nil {
		panic(err)
	}
	fmt.Println(q.String())
	fmt.Println(q.Fields())

	_, err = sandbox.ParseQuery("customer_tags CONTAINS 'vip' AND account_status = 'ENABLED'")
	fmt.Println(err)
	// Output:
	// customer_account_status = 'ENABLED' AND customer_city = 'Toronto'
	// [customer_account_status customer_city]
	// query:1:34: unknown field account_status (did you mean customer_account_status?)
}

func ExampleStore_Call() {
	s := sandbox.Fixture()
	res, err := s.Call("create_segment", json.RawMessage(`{"name":"Toronto","query":"customer_account_status = 'ENABLED' AND customer_city = 'Toronto'"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(string(res))

	_, err = s.Call("get_customer", json.RawMessage(`{"customer_id":"cus_9999"}`))
	fmt.Println(err.(*sandbox.ToolError).Code, err)
	// Output:
	// {"segment":{"id":"seg_4","name":"Toronto","query":"customer_account_status = 'ENABLED' AND customer_city = 'Toronto'","created_at":"2026-06-30T12:00:00Z"},"member_count":30}
	// 404 no customer with id cus_9999; find customers with search_customers
}

func ExampleValidateArgs() {
	err := sandbox.ValidateArgs("update_customer", json.RawMessage(`{"customer_id":"cus_1001","add_tags":"vip"}`))
	fmt.Println(err)
	// Output:
	// update_customer: invalid arguments: add_tags: got string, want array
}

func ExampleDiff() {
	want, got := sandbox.Fixture(), sandbox.Fixture()
	if _, err := got.Call("update_customer", json.RawMessage(`{"customer_id":"cus_1002","add_tags":["vip"]}`)); err != nil {
		panic(err)
	}
	for _, c := range sandbox.Diff(want, got) {
		fmt.Printf("%s: %s -> %s\n", c.Path, c.Want, c.Got)
	}
	// Output:
	// customers/cus_1002/tags: [] -> ["vip"]
}

func ExampleFixture() {
	s := sandbox.Fixture()
	fmt.Println(s.Shop.Name, s.Shop.Currency, s.Now.Format("2006-01-02"))
	fmt.Println(len(s.Customers), "customers,", len(s.Products), "products,", len(s.Orders), "orders")
	// Output:
	// Maple & Pine Outfitters CAD 2026-06-30
	// 400 customers, 44 products, 1182 orders
}

func ExampleNewService() {
	srv, err := natsbus.StartServer(natsbus.ServerConfig{NoListen: true})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	nc, err := srv.Connect()
	if err != nil {
		panic(err)
	}
	defer nc.Close()

	svc := sandbox.NewService(nc)
	if err := svc.Start(); err != nil {
		panic(err)
	}
	defer svc.Stop()
	session := svc.Open("example")
	defer session.Close()

	c := sandbox.NewClient(nc, svc.Subject(), session.Token())
	res, err := c.Call(context.Background(), "call_1", "update_customer", json.RawMessage(`{"customer_id":"cus_1002","add_tags":["vip"]}`))
	if err != nil {
		panic(err)
	}
	var out struct {
		Customer sandbox.Customer `json:"customer"`
	}
	if err := json.Unmarshal(res, &out); err != nil {
		panic(err)
	}
	fmt.Println(out.Customer.Name(), out.Customer.Tags)
	for _, r := range session.Calls() {
		fmt.Println(r.Seq, r.CallID, r.Tool, r.Code == "")
	}
	// Output:
	// Henry Tremblay [vip]
	// 1 call_1 update_customer true
}

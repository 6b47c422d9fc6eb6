package examples_test

import (
	"fmt"
	"log"

	"github.com/merchantarena/merchantarena/examples"
)

func ExampleConversations() {
	convs, err := examples.Conversations()
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range convs {
		if c.ID == "enabled-segment" {
			fmt.Println(c.Source.File, c.Skills())
			fmt.Println(c.Messages[1].Content)
		}
	}
	// Output:
	// segments.jsonl [customer_segmentation]
	// segment customers with status enabled
}

func ExampleFiles() {
	fmt.Println(examples.Files())
	// Output: [catalog.jsonl customers.jsonl discounts.jsonl mixed.jsonl orders.jsonl sales.jsonl segments.jsonl]
}

package sandbox_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
)

type productList struct {
	Count    int                      `json:"count"`
	Products []sandbox.ProductSummary `json:"products"`
}

func TestStore_Call_SearchProducts(t *testing.T) {
	s := sandbox.Fixture()
	t.Run("EveryWordMatches", func(t *testing.T) {
		var want []string
		for _, p := range s.Products {
			hay := strings.ToLower(p.Title + " " + p.ProductType + " " + strings.Join(p.Tags, " "))
			if strings.Contains(hay, "merino") && strings.Contains(hay, "base") {
				want = append(want, p.ID)
			}
		}
		got := callInto[productList](t, s, "search_products", `{"query":"Merino  BASE"}`)
		var ids []string
		for _, p := range got.Products {
			ids = append(ids, p.ID)
		}
		if diff := cmp.Diff(want, ids); diff != "" || got.Count != len(want) || len(want) == 0 {
			t.Errorf("count %d; ids (-want +got):\n%s", got.Count, diff)
		}
	})
	t.Run("StatusFilter", func(t *testing.T) {
		got := callInto[productList](t, s, "search_products", `{"status":"DRAFT"}`)
		if got.Count == 0 {
			t.Fatal("the fixture has no DRAFT products")
		}
		for _, p := range got.Products {
			if p.Status != sandbox.StatusDraft {
				t.Errorf("%s has status %s", p.ID, p.Status)
			}
		}
	})
	t.Run("SummaryPrices", func(t *testing.T) {
		got := callInto[productList](t, s, "search_products", `{"query":"gift card"}`)
		if len(got.Products) != 1 || got.Products[0].PriceMin != sandbox.MoneyOf(25) || got.Products[0].PriceMax != sandbox.MoneyOf(100) {
			t.Errorf("gift card summary = %+v, want one product priced 25.00 to 100.00", got.Products)
		}
	})
	t.Run("ErrBadStatus", func(t *testing.T) {
		callErr(t, s, "search_products", `{"status":"active"}`, sandbox.CodeBadRequest, "status:", "ACTIVE, DRAFT, ARCHIVED")
	})
}

func TestStore_Call_GetProduct(t *testing.T) {
	s := sandbox.Fixture()
	t.Run("OK", func(t *testing.T) {
		got := callInto[struct {
			Product sandbox.Product `json:"product"`
		}](t, s, "get_product", `{"product_id":"prod_2001"}`)
		if diff := cmp.Diff(s.Products[0], got.Product); diff != "" {
			t.Errorf("product (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		callErr(t, s, "get_product", `{"product_id":"prod_1"}`, sandbox.CodeNotFound, "no product with id prod_1")
	})
}

func TestStore_Call_UpdateProduct(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := sandbox.Fixture()
		got := callInto[struct {
			Product sandbox.Product `json:"product"`
		}](t, s, "update_product", `{"product_id":"prod_2002","seo_title":"Banff Down Parka","seo_description":"Warm & light.","status":"ARCHIVED","tags":["Winter"," sale"]}`)
		want := sandbox.Fixture().Products[1]
		want.SEO = sandbox.SEO{Title: "Banff Down Parka", Description: "Warm & light."}
		want.Status, want.Tags = sandbox.StatusArchived, []string{"sale", "winter"}
		if diff := cmp.Diff(want, got.Product); diff != "" {
			t.Errorf("product (-want +got):\n%s", diff)
		}
		wantPaths := []string{"products/prod_2002/seo", "products/prod_2002/status", "products/prod_2002/tags"}
		if diff := cmp.Diff(wantPaths, paths(sandbox.Diff(sandbox.Fixture(), s))); diff != "" {
			t.Errorf("changed paths (-want +got):\n%s", diff)
		}
	})
	s := sandbox.Fixture()
	t.Run("ErrNothingToChange", func(t *testing.T) {
		callErr(t, s, "update_product", `{"product_id":"prod_2001"}`, sandbox.CodeInvalid, "nothing to change")
	})
	t.Run("ErrSEOTitleTooLong", func(t *testing.T) {
		callErr(t, s, "update_product", `{"product_id":"prod_2001","seo_title":"`+strings.Repeat("x", 71)+`"}`, sandbox.CodeBadRequest, "seo_title:")
	})
	t.Run("ErrBlankTitle", func(t *testing.T) {
		callErr(t, s, "update_product", `{"product_id":"prod_2001","title":"  "}`, sandbox.CodeInvalid, "title cannot be blank")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		callErr(t, s, "update_product", `{"product_id":"prod_9999","status":"DRAFT"}`, sandbox.CodeNotFound, "prod_9999")
	})
}

func TestStore_Call_UpdateVariant(t *testing.T) {
	type result struct {
		ProductID string          `json:"product_id"`
		Variant   sandbox.Variant `json:"variant"`
	}
	t.Run("OK", func(t *testing.T) {
		s := sandbox.Fixture()
		got := callInto[result](t, s, "update_variant", `{"variant_id":"var_3002","price":149.99,"compare_at_price":189,"inventory_quantity":7}`)
		was := sandbox.MoneyOf(189)
		want := s.Products[0].Variants[1]
		want.Price, want.CompareAtPrice, want.InventoryQuantity = sandbox.MoneyOf(149.99), &was, 7
		if diff := cmp.Diff(result{"prod_2001", want}, got); diff != "" {
			t.Errorf("result (-want +got):\n%s", diff)
		}
		got = callInto[result](t, s, "update_variant", `{"variant_id":"var_3002","compare_at_price":0}`)
		if got.Variant.CompareAtPrice != nil {
			t.Errorf("compare_at_price 0 left %v, want it removed", *got.Variant.CompareAtPrice)
		}
	})
	s := sandbox.Fixture()
	t.Run("ErrCompareAtNotAbovePrice", func(t *testing.T) {
		callErr(t, s, "update_variant", `{"variant_id":"var_3001","compare_at_price":10}`, sandbox.CodeInvalid, "must be above the price")
	})
	t.Run("ErrTooManyDecimals", func(t *testing.T) {
		callErr(t, s, "update_variant", `{"variant_id":"var_3001","price":19.999}`, sandbox.CodeBadRequest, "price: must be a multiple of 0.01")
	})
	t.Run("ErrZeroPrice", func(t *testing.T) {
		callErr(t, s, "update_variant", `{"variant_id":"var_3001","price":0}`, sandbox.CodeInvalid, "price must be above 0")
	})
	t.Run("ErrNegativeInventory", func(t *testing.T) {
		callErr(t, s, "update_variant", `{"variant_id":"var_3001","inventory_quantity":-1}`, sandbox.CodeBadRequest, "inventory_quantity: -1 is below the minimum 0")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		callErr(t, s, "update_variant", `{"variant_id":"var_1","price":5}`, sandbox.CodeNotFound, "no variant with id var_1")
	})
}

package candidates

import "github.com/merchantarena/merchantarena/sandbox"

// StoreID matches the IDs the store's tools hand out (cus_1001, prod_2001,
// var_3001, ord_5001, seg_1, dsc_1), so a build can find them in results
// and replies without importing the sandbox.
var StoreID = sandbox.IDPattern

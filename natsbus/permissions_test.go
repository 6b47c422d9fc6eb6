package natsbus_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/merchantarena/merchantarena/natsbus"
)

// TestPermissions_Config checks that the user block the README and
// "arena candidates permissions" print is a nats-server configuration the
// server reads back as the same permissions.
func TestPermissions_Config(t *testing.T) {
	p := natsbus.BuildPermissions("golden", "1.2.0")
	conf := "authorization { users = [\n" + p.Config("golden") + "\n] }\n"
	path := filepath.Join(t.TempDir(), "nats.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOLDEN_PASSWORD", "from-the-environment")
	opts, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatalf("%v\n%s", err, conf)
	}
	if len(opts.Users) != 1 {
		t.Fatalf("users = %d, want 1\n%s", len(opts.Users), conf)
	}
	u := opts.Users[0]
	if u.Username != "golden" || u.Password != "from-the-environment" {
		t.Errorf("user %q password %q, want golden with $GOLDEN_PASSWORD", u.Username, u.Password)
	}
	got := natsbus.Permissions{Publish: u.Permissions.Publish.Allow, Subscribe: u.Permissions.Subscribe.Allow,
		Responses: u.Permissions.Response != nil}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("permissions read back (-want +got):\n%s", diff)
	}
}

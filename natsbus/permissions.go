package natsbus

import (
	"fmt"
	"strings"

	"github.com/nats-io/nats-server/v2/server"
)

// Permissions is what one NATS user may publish and subscribe to. The
// arena's own processes (run, worker, record) are trusted; a build under
// test is not, and gets BuildPermissions.
type Permissions struct {
	Publish   []string
	Subscribe []string
	// Responses lets the user answer requests it received (to their reply
	// subjects) and nothing more.
	Responses bool
}

// BuildInbox is the reply-subject prefix a build's connection must use
// (nats.CustomInboxPrefix): its own, so that it needs no "_INBOX.>" and
// cannot read replies meant for others.
func BuildInbox(build, version string) string {
	return "_INBOX_" + build + "_v" + versionToken.Replace(version)
}

// BuildPermissions lets one version of a build serve its turn endpoint
// (with micro discovery, so the arena finds it), answer the turns it gets,
// and call the sandbox, with replies to its own inbox. It cannot subscribe
// to other builds' subjects, the job and result streams or anyone's
// replies, and cannot publish anywhere else.
func BuildPermissions(build, version string) Permissions {
	return Permissions{
		Subscribe: []string{
			CandidateTurn(build, version),
			"$SRV.*", "$SRV.*." + build, "$SRV.*." + build + ".*",
			BuildInbox(build, version) + ".>",
		},
		Publish:   []string{sandboxPrefix + "*." + CallEndpoint, sandboxPrefix + "*." + ToolsEndpoint},
		Responses: true,
	}
}

// server turns p into the embedded server's form.
func (p Permissions) server() *server.Permissions {
	sp := &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: p.Publish},
		Subscribe: &server.SubjectPermission{Allow: p.Subscribe},
	}
	if p.Responses {
		sp.Response = &server.ResponsePermission{MaxMsgs: 1}
	}
	return sp
}

// Config renders p as a user block of a nats-server configuration file;
// the password is left for the operator to fill in.
func (p Permissions) Config(user string) string {
	quote := func(ss []string) string {
		q := make([]string, len(ss))
		for i, s := range ss {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "{ user: %q, password: $%s_PASSWORD, permissions: {\n", user, strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(user)))
	fmt.Fprintf(&b, "    publish: %s\n", quote(p.Publish))
	fmt.Fprintf(&b, "    subscribe: %s\n", quote(p.Subscribe))
	if p.Responses {
		b.WriteString("    allow_responses: true\n")
	}
	b.WriteString("} }")
	return b.String()
}

// User is a user of an embedded server; nil Permissions allow everything.
type User struct {
	Name, Password string
	Permissions    *Permissions
}

func serverUsers(us []User) []*server.User {
	out := make([]*server.User, len(us))
	for i, u := range us {
		su := &server.User{Username: u.Name, Password: u.Password}
		if u.Permissions != nil {
			su.Permissions = u.Permissions.server()
		}
		out[i] = su
	}
	return out
}

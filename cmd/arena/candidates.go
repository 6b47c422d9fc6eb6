package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/mutants"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/natsbus"
)

// CandidatesCommand serves the reference builds or lists builds on a bus.
type CandidatesCommand struct {
	m *Main
}

const candidatesSummary = `Work with candidate builds. "serve" runs reference builds as their own process
until interrupted, so another process's "arena run --nats URL" plays them like
any outside build; with no --nats it starts an in-process NATS server and prints
its URL. With $OPENAI_BASE_URL or $OPENAI_API_KEY set it can also serve the
reference LLM agents, monolith and jit. "ls" lists the builds discovered on a bus (micro services with
metadata arena.kind=candidate). "permissions NAME@VERSION" prints the
nats-server user block that lets a build serve only its own turn subject and
call the sandbox (connect it with nats.CustomInboxPrefix of the printed inbox).`

const candidatesExamples = `  arena candidates serve                                   # all reference builds, own NATS
  arena candidates serve --nats nats://127.0.0.1:4222 --builds golden,slow
  arena candidates ls --nats nats://127.0.0.1:4222 --format json
  arena candidates permissions my-agent@2.3.0 >> nats.conf   # inside authorization { users = [ … ] }`

// Run dispatches serve and ls.
func (c *CandidatesCommand) Run(ctx context.Context, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "serve":
		return c.serve(ctx, args)
	case "ls", "list":
		return c.list(ctx, args)
	case "permissions":
		return c.permissions(args)
	case "-h", "--help", "help":
		c.m.newFlagSet("candidates", candidatesSummary, candidatesExamples).printUsage(c.m.Stdout)
		return errHelp
	}
	return usageErrorf("candidates: want a subcommand: serve, ls or permissions").try("arena candidates --help")
}

func (c *CandidatesCommand) serve(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("candidates serve", candidatesSummary, candidatesExamples)
	builds := fs.String("builds", "all", "reference builds to serve: all, or a comma-separated list of "+strings.Join(arena.ReferenceNames(), ", "))
	logs := fs.String("logs", "", "logs the builds replay (default: the bundled examples)")
	dataDir := fs.String("data-dir", ".arena", "folder for the in-process NATS server's data")
	port := fs.Int("port", 0, "port of the in-process NATS server (default: any free port)")
	nf := addNATSFlags(fs)
	lf := addLLMFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	names, err := referenceList(*builds)
	if err != nil {
		return err
	}
	agent, err := c.agentClient(lf)
	if err != nil {
		return err
	}
	if agent == nil {
		if err := (runPath{mode: arena.ModeOffline}).checkReferences(names); err != nil {
			return err
		}
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	convs, _, err := loadConversations(*logs, "", false, logger)
	if err != nil {
		return err
	}
	connect, err := nf.config(c.m.Getenv)
	if err != nil {
		return err
	}
	bus, err := arena.OpenBus(arena.BusConfig{URL: nf.url, Connect: connect, DataDir: *dataDir, Port: *port})
	if err != nil {
		return err
	}
	defer bus.Close()
	refs := arena.References{Names: names, Logs: convs, Logger: logger}
	if agent != nil {
		refs.Agent = agent
	}
	svcs, err := arena.ServeReferences(bus.Conn, refs)
	if err != nil {
		return err
	}
	for _, s := range svcs {
		in := s.Info()
		logger.Info("serving", "build", in.Name, "version", in.Version, "subject", in.Subject)
	}
	logger.Info("reference builds ready; stop with Ctrl-C", "nats", bus.URL, "builds", len(svcs))
	<-ctx.Done()
	return arena.StopAll(svcs)
}

// agentClient is the model client of the LLM agents when an endpoint is
// configured, nil otherwise.
func (c *CandidatesCommand) agentClient(lf *llmFlags) (*llm.Client, error) {
	if !llmConfigured(c.m.Getenv) {
		return nil, nil
	}
	cfg, err := lf.config(c.m.Getenv)
	if err != nil {
		return nil, err
	}
	return llm.New(cfg)
}

func (c *CandidatesCommand) list(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("candidates ls", candidatesSummary, candidatesExamples)
	format := fs.String("format", "table", "output format: table, json, md, csv")
	nf := addNATSFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if nf.url == "" {
		return usageErrorf("candidates ls needs --nats URL: there is no bus to list without one").try("arena candidates ls --nats nats://127.0.0.1:4222")
	}
	connect, err := nf.config(c.m.Getenv)
	if err != nil {
		return err
	}
	bus, err := arena.OpenBus(arena.BusConfig{URL: nf.url, Connect: connect})
	if err != nil {
		return err
	}
	defer bus.Close()
	infos, err := candidates.Discover(ctx, bus.Conn)
	if err != nil {
		return err
	}
	t := table{Header: []string{"build", "version", "replicas", "reference", "defect", "subject"}, Value: infos}
	for _, in := range infos {
		t.Rows = append(t.Rows, []string{in.Name, in.Version, strconv.Itoa(in.Replicas),
			orDash(in.Metadata[mutants.MetaReference]), orDash(in.Metadata[mutants.MetaDefect]), in.Subject})
	}
	if len(infos) == 0 && *format == "table" {
		fmt.Fprintln(c.m.Stderr, "no build answered on", nf.url)
	}
	return render(c.m.Stdout, *format, t)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// permissions prints the nats-server user block of one build version.
func (c *CandidatesCommand) permissions(args []string) error {
	fs := c.m.newFlagSet("candidates permissions", candidatesSummary, candidatesExamples)
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) != 1 {
		return usageErrorf("candidates permissions takes one NAME@VERSION").try("arena candidates permissions my-agent@1.0.0")
	}
	name, version, ok := strings.Cut(fs.positional[0], "@")
	if !ok || natsbus.CheckName(name) != nil || !semver.MatchString(version) {
		return usageErrorf("candidates permissions %q: want NAME@VERSION with a semantic version", fs.positional[0]).
			try("arena candidates permissions my-agent@1.0.0")
	}
	p := natsbus.BuildPermissions(name, version)
	fmt.Fprintf(c.m.Stdout, "# build %s %s: serve %s, call the sandbox; reply inbox %s\n%s\n",
		name, version, natsbus.CandidateTurn(name, version), natsbus.BuildInbox(name, version), p.Config(name))
	return nil
}

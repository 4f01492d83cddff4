// pulumi-language-nodejs: the Node.js language host that the Pulumi CLI starts for `runtime: nodejs`
// projects and for Node policy packs.
//
// Why this is our own small program: Pulumi's language host lives in a nested Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, untagged) that the Go module
// proxy this project can reach refuses (403 "This module version is not available" for its version
// list and for the pseudo-version of the v3.259.0 commit). The
// work of running a program is done by the real @pulumi/pulumi npm package (its cmd/run,
// cmd/run-plugin and cmd/run-policy-pack scripts) and the real CLI engine; this host only speaks the
// LanguageRuntime gRPC protocol from github.com/pulumi/pulumi/sdk/v3 (served, v3.259.0) and starts
// node with the arguments and environment those scripts read.
//
// Supported: Handshake, GetPluginInfo, GetRequiredPackages/GetRequiredPlugins (from node_modules
// package.json "pulumi" blocks), Run (programs, TypeScript through the SDK's ts-node), RunPlugin
// (policy packs and Node plugins), InstallDependencies (npm, yarn or pnpm), GetProgramDependencies,
// About, Cancel. Code generation (convert, gen-sdk, Pack, Link) is not: those answer Unimplemented.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is set with -ldflags "-X main.version=..." to the Pulumi release it was built against.
var version = "3.259.0"

// The SDK exits with this code after it has already shown the user an error: report "bail" so the
// engine prints nothing more (same constant as @pulumi/pulumi's cmd/run).
const exitCodeAlreadyReported = 32

func main() {
	var tracing string
	flag.StringVar(&tracing, "tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	flag.Bool("logflow", false, "Flow logging settings to child processes")
	// Accepted for compatibility with the upstream host's command line; options normally come from
	// Pulumi.yaml's runtime.options through ProgramInfo.
	typescript := flag.Bool("typescript", true, "Use ts-node at runtime to support TypeScript source natively")
	tsconfig := flag.String("tsconfig", "", "Path to tsconfig.json to use")
	nodeargs := flag.String("nodeargs", "", "Arguments for the Node process")
	flag.String("root", "", "Project root path to use")
	flag.String("packagemanager", "", "Package manager to use when installing dependencies")
	logging.InitLogging(false, 0, false)
	flag.Parse()
	cmdutil.InitTracing("pulumi-language-nodejs", "pulumi-language-nodejs", tracing)

	args := flag.Args()
	var engineAddress string
	if len(args) > 0 {
		engineAddress = args[0]
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if engineAddress != "" {
		// Exit when the engine goes away, as every Pulumi plugin does.
		go func() { _ = rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel) }()
	}

	host := &languageHost{
		engineAddress: engineAddress,
		tracing:       tracing,
		defaults:      options{typescript: *typescript, tsconfig: *tsconfig, nodeargs: *nodeargs},
	}
	stop := make(chan bool)
	go func() { <-ctx.Done(); close(stop) }()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type options struct {
	typescript     bool
	tsconfig       string
	nodeargs       string
	packagemanager string
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	engineAddress string
	tracing       string
	defaults      options
}

// optionsOf reads Pulumi.yaml's runtime.options (typescript, tsconfig, nodeargs, packagemanager).
func (h *languageHost) optionsOf(info *pulumirpc.ProgramInfo) options {
	o := h.defaults
	if info == nil || info.GetOptions() == nil {
		return o
	}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		o.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		o.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		o.nodeargs = v
	}
	if v, ok := m["packagemanager"].(string); ok {
		o.packagemanager = v
	}
	return o
}

func (h *languageHost) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *languageHost) Cancel(ctx context.Context, _ *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// ---- plugins a program needs -------------------------------------------------------------------

// pulumiBlock is the "pulumi" section an SDK package (e.g. @pulumi/random) puts in its package.json.
type pulumiBlock struct {
	Resource         bool   `json:"resource"`
	Name             string `json:"name"`
	Version          string `json:"version"`
	Server           string `json:"server"`
	Parameterization *struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Value   string `json:"value"` // base64
	} `json:"parameterization"`
}

type packageJSON struct {
	Name                 string            `json:"name"`
	Version              string            `json:"version"`
	Dependencies         map[string]string `json:"dependencies"`
	DevDependencies      map[string]string `json:"devDependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	Pulumi               *pulumiBlock      `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &p, nil
}

// requiredPackages walks node_modules below dir (nested and scoped packages included) and returns
// every package that declares itself a Pulumi resource plugin.
func requiredPackages(dir string) ([]*pulumirpc.PackageDependency, error) {
	seen := map[string]bool{}
	visited := map[string]bool{}
	var out []*pulumirpc.PackageDependency
	var walk func(nodeModules string) error
	walk = func(nodeModules string) error {
		real, err := filepath.EvalSymlinks(nodeModules)
		if err != nil || visited[real] {
			return nil
		}
		visited[real] = true
		entries, err := os.ReadDir(real)
		if err != nil {
			return nil
		}
		var pkgDirs []string
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			if strings.HasPrefix(name, "@") {
				scoped, _ := os.ReadDir(filepath.Join(real, name))
				for _, s := range scoped {
					pkgDirs = append(pkgDirs, filepath.Join(real, name, s.Name()))
				}
				continue
			}
			pkgDirs = append(pkgDirs, filepath.Join(real, name))
		}
		for _, pd := range pkgDirs {
			p, err := readPackageJSON(filepath.Join(pd, "package.json"))
			if err == nil && p.Pulumi != nil && p.Pulumi.Resource {
				dep, err := packageDependency(p)
				if err != nil {
					return err
				}
				key := dep.Name + "@" + dep.Version
				if dep.Parameterization != nil {
					key += "/" + dep.Parameterization.Name + "@" + dep.Parameterization.Version
				}
				if !seen[key] {
					seen[key] = true
					out = append(out, dep)
				}
			}
			if err := walk(filepath.Join(pd, "node_modules")); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(filepath.Join(dir, "node_modules")); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name+out[i].Version < out[j].Name+out[j].Version })
	return out, nil
}

func packageDependency(p *packageJSON) (*pulumirpc.PackageDependency, error) {
	name := p.Pulumi.Name
	if name == "" {
		// Upstream convention: @pulumi/foo and pulumi-foo name the plugin "foo".
		name = strings.TrimPrefix(strings.TrimPrefix(p.Name, "@pulumi/"), "pulumi-")
	}
	v := p.Pulumi.Version
	if v == "" {
		v = p.Version
	}
	if v != "" && !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	dep := &pulumirpc.PackageDependency{Kind: "resource", Name: name, Version: v, Server: p.Pulumi.Server}
	if par := p.Pulumi.Parameterization; par != nil {
		value, err := base64.StdEncoding.DecodeString(par.Value)
		if err != nil {
			return nil, fmt.Errorf("package %s: parameterization value is not base64: %w", p.Name, err)
		}
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: par.Name, Version: par.Version, Value: value}
	}
	return dep, nil
}

func programDir(info *pulumirpc.ProgramInfo, fallback string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	return fallback
}

func (h *languageHost) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	pkgs, err := requiredPackages(programDir(req.GetInfo(), "."))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

func (h *languageHost) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	pkgs, err := requiredPackages(programDir(req.GetInfo(), req.GetPwd()))
	if err != nil {
		return nil, err
	}
	var plugins []*pulumirpc.PluginDependency
	for _, p := range pkgs {
		if p.Parameterization != nil {
			continue
		}
		plugins = append(plugins, &pulumirpc.PluginDependency{Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// ---- running node ------------------------------------------------------------------------------

func nodeBinary() (string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("could not find node on the PATH: install Node.js (22 or newer for @pulumi/pulumi 3.259)")
	}
	return node, nil
}

// resolveSDKScript finds one of @pulumi/pulumi's entry scripts (cmd/run, cmd/run-plugin,
// cmd/run-policy-pack) as node itself would from dir, so the program's own SDK copy is used.
func resolveSDKScript(ctx context.Context, node, dir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, node, "-e", fmt.Sprintf("console.log(require.resolve(%q))", module))
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("it looks like the Pulumi SDK has not been installed in %s: "+
			"could not resolve %s (have you run npm install?): %s", dir, module, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

func splitArgs(s string) []string {
	return strings.Fields(s)
}

func exitCode(err error) (int, bool) {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), true
		}
		return ee.ExitCode(), true
	}
	return 0, false
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	node, err := nodeBinary()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	opts := h.optionsOf(req.GetInfo())
	dir := programDir(req.GetInfo(), req.GetPwd())
	runScript, err := resolveSDKScript(ctx, node, dir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := splitArgs(opts.nodeargs)
	args = append(args, runScript)
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k+"="+v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", dir)
	if req.GetInfo() != nil {
		add("root-directory", req.GetInfo().GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		add("parallel", fmt.Sprint(req.GetParallel()))
	}
	add("tracing", h.tracing)
	entry := "."
	if req.GetInfo() != nil && req.GetInfo().GetEntryPoint() != "" {
		entry = req.GetInfo().GetEntryPoint()
	} else if req.GetProgram() != "" {
		entry = req.GetProgram()
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	// A stack without config has a nil map, which marshals to "null"; the SDK expects an object.
	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{}
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
		fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", opts.typescript),
	)
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	cmd := exec.Command(node, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	logging.V(5).Infof("language host running: %s %s", node, strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		if code, ok := exitCode(err); ok {
			if code == exitCodeAlreadyReported {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// streamWriter forwards a child's output to a gRPC stream, one message per write.
type streamWriter struct {
	mu   *sync.Mutex
	send func([]byte) error
}

func (w streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := make([]byte, len(p))
	copy(b, p)
	if err := w.send(b); err != nil {
		return 0, err
	}
	return len(p), nil
}

// RunPlugin starts a Node plugin: a policy pack (kind "analyzer", through @pulumi/pulumi's
// cmd/run-policy-pack, which @pulumi/policy plugs into) or a resource/tool plugin (cmd/run-plugin).
func (h *languageHost) RunPlugin(req *pulumirpc.RunPluginRequest,
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	ctx := server.Context()
	node, err := nodeBinary()
	if err != nil {
		return err
	}
	opts := h.optionsOf(req.GetInfo())
	dir := programDir(req.GetInfo(), req.GetPwd())
	module := "@pulumi/pulumi/cmd/run-plugin"
	if req.GetKind() == "analyzer" {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	script, err := resolveSDKScript(ctx, node, dir, module)
	if err != nil {
		return err
	}
	args := splitArgs(opts.nodeargs)
	args = append(args, script)
	if req.GetKind() == "analyzer" {
		// run-policy-pack's command line: <engine-address> <program>; the engine passes its address
		// (after any logging flags) in Args.
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		args = append(args, dir)
		args = append(args, req.GetArgs()...)
	}

	var mu sync.Mutex
	stdout := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	stderr := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	if len(req.GetEnv()) > 0 {
		cmd.Env = req.GetEnv()
	}
	if opts.typescript && req.GetKind() != "analyzer" {
		cmd.Env = append(cmd.Environ(), "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	logging.V(5).Infof("language host running plugin: %s %s", node, strings.Join(args, " "))
	runErr := cmd.Run()
	code := 0
	if runErr != nil {
		c, ok := exitCode(runErr)
		if !ok {
			return fmt.Errorf("could not run plugin %s: %w", dir, runErr)
		}
		code = c
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

// ---- dependencies and about --------------------------------------------------------------------

func packageManager(dir string, o options) string {
	if o.packagemanager != "" && o.packagemanager != "auto" {
		return o.packagemanager
	}
	switch {
	case fileExists(filepath.Join(dir, "pnpm-lock.yaml")):
		return "pnpm"
	case fileExists(filepath.Join(dir, "yarn.lock")):
		return "yarn"
	default:
		return "npm"
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func (h *languageHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := programDir(req.GetInfo(), req.GetDirectory())
	pm := packageManager(dir, h.optionsOf(req.GetInfo()))
	bin, err := exec.LookPath(pm)
	if err != nil {
		return fmt.Errorf("could not find %s on the PATH", pm)
	}
	var mu sync.Mutex
	stdout := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	stderr := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	fmt.Fprintf(stdout, "Installing dependencies with %s in %s...\n", pm, dir)
	cmd := exec.CommandContext(server.Context(), bin, "install")
	cmd.Dir = dir
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s install failed in %s: %w", pm, dir, err)
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n")
	return nil
}

func (h *languageHost) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	p, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, fmt.Errorf("could not read package.json in %s: %w", dir, err)
	}
	names := map[string]bool{}
	for _, deps := range []map[string]string{p.Dependencies, p.DevDependencies, p.OptionalDependencies} {
		for n := range deps {
			names[n] = true
		}
	}
	var out []*pulumirpc.DependencyInfo
	for n := range names {
		v := "(not installed)"
		if dp, err := readPackageJSON(filepath.Join(dir, "node_modules", n, "package.json")); err == nil {
			v = dp.Version
		}
		out = append(out, &pulumirpc.DependencyInfo{Name: n, Version: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: out}, nil
}

func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := nodeBinary()
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("could not run %s --version: %w", node, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

func (h *languageHost) RuntimeOptionsPrompts(ctx context.Context, req *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

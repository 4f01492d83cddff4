// host-commands parses shell scripts with mvdan.cc/sh (the parser behind shfmt) and prints, as one JSON
// document, every command each script calls by name and every function it defines. The dependency test
// (test/unit/host-commands.test.ts) checks each command against the fresh machine's packages and what
// bootstrap installs. A parser, not a regex: heredocs, quoting, pipelines and command substitutions are
// read as bash reads them.
//
// Usage: go run . FILE...
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

type call struct {
	File    string `json:"file"`
	Line    uint   `json:"line"`
	Command string `json:"command"`
}

type report struct {
	Calls     []call   `json:"calls"`
	Functions []string `json:"functions"`
}

// Wrappers run the command named in a later argument; the command is what must be installed (and the
// wrapper too). chroot runs its command inside another root file system, not from the host's PATH.
var wrappers = map[string]bool{
	"nice": true, "exec": true, "command": true, "env": true, "timeout": true, "nohup": true, "setsid": true,
	"xargs": true, "flock": true, "nsenter": true, "unshare": true, "stdbuf": true, "ionice": true, "time": true,
	"sudo": true, "watch": true,
}

// Options of wrappers that take a separate value (nice -n 10, timeout -s KILL, flock -w 5, nsenter -t PID).
var optionWithValue = map[string]bool{"-n": true, "-s": true, "-w": true, "-t": true, "-u": true, "-k": true, "-E": true, "-I": true}

var commandName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.+-]*$|^/[A-Za-z0-9_./+-]+$`)

func main() {
	out := report{Calls: []call{}, Functions: []string{}}
	parser := syntax.NewParser(syntax.Variant(syntax.LangBash))
	for _, path := range os.Args[1:] {
		f, err := os.Open(path)
		if err != nil {
			fail(err)
		}
		file, err := parser.Parse(f, path)
		f.Close()
		if err != nil {
			fail(err)
		}
		syntax.Walk(file, func(node syntax.Node) bool {
			switch n := node.(type) {
			case *syntax.FuncDecl:
				out.Functions = append(out.Functions, n.Name.Value)
			case *syntax.CallExpr:
				for _, c := range commandsOf(n.Args) {
					out.Calls = append(out.Calls, call{File: path, Line: n.Pos().Line(), Command: c})
				}
			}
			return true
		})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fail(err)
	}
}

// commandsOf returns the commands a call runs: its first word when that is a plain literal, and, when it
// is a wrapper, the command the wrapper runs too. A first word built from variables ("$BIN_DIR/kubectl")
// names a tool the scripts built, not a package, and is left out.
func commandsOf(args []*syntax.Word) []string {
	words := make([]string, len(args))
	for i, w := range args {
		words[i] = w.Lit() // "" unless the word is one plain literal
	}
	var found []string
	for i := 0; i < len(words); {
		name := words[i]
		if !commandName.MatchString(name) {
			return found
		}
		found = append(found, name)
		if name == "chroot" {
			return found
		}
		if name == "ip" && i+3 < len(words) && words[i+1] == "netns" && words[i+2] == "exec" {
			i += 4 // ip netns exec NAME COMMAND...
			continue
		}
		if !wrappers[name] {
			return found
		}
		i++
		for i < len(words) && (strings.HasPrefix(words[i], "-") || strings.Contains(words[i], "=") || isNumber(words[i])) {
			if optionWithValue[words[i]] {
				i++
			}
			i++
		}
		if (name == "flock" || name == "timeout") && i < len(words) && !commandName.MatchString(words[i]) {
			i++ // the lock file or a duration spelled with a variable
		}
	}
	return found
}

func isNumber(s string) bool {
	return s != "" && strings.Trim(s, "0123456789.smhd") == ""
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "host-commands:", err)
	os.Exit(1)
}

// Pod sandbox process (the "pause" container): as PID 1 of a pod it holds the pod's namespaces open,
// sleeps, reaps orphaned children and exits 0 on SIGTERM or SIGINT. Built by scripts/toolchain/addons.sh.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is stamped by addons.sh (-X main.version=...).
var version = "dev"

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "-v", "-version", "--version":
			fmt.Printf("pause %s\n", version)
			return
		default:
			fmt.Fprintf(os.Stderr, "pause: unknown argument %q; allowed: --version (or none)\n", os.Args[1])
			os.Exit(2)
		}
	}
	if os.Getpid() != 1 {
		// Still useful (e.g. under a subreaper), but orphans only reach us when we are PID 1.
		fmt.Fprintln(os.Stderr, "pause: warning: not PID 1, orphaned processes will not be reaped here")
	}
	// Subscribe before anything else so no SIGCHLD or SIGTERM is missed; the buffer only needs to hold
	// one pending SIGCHLD because every wake-up reaps all exited children.
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGCHLD, syscall.SIGTERM, syscall.SIGINT)
	for sig := range signals {
		if sig == syscall.SIGCHLD {
			reapExited()
			continue
		}
		fmt.Fprintf(os.Stderr, "pause: got %v, exiting\n", sig)
		os.Exit(0)
	}
}

// reapExited collects every child that has exited, without blocking, so none stays a zombie.
func reapExited() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if pid <= 0 || err != nil {
			return
		}
	}
}

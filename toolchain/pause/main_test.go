// Tests of the pause binary: it reaps exited children, exits 0 on SIGTERM/SIGINT, and as PID 1 of its own
// PID namespace leaves no zombie behind when an orphan exits.
package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildPause compiles this package once per test into a temporary folder.
func buildPause(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pause")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// processState is the state letter of /proc/PID/stat ("Z" for a zombie), or "" when PID is gone.
func processState(pid int) string {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return ""
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return fields[0]
}

// children lists the PIDs of a process's children, zombies included (they stay until reaped).
func children(pid int) []string {
	kids, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "task", strconv.Itoa(pid), "children"))
	return strings.Fields(string(kids))
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReapExitedCollectsAZombieChild(t *testing.T) {
	// ForkExec, not os/exec: nothing else may wait for this child.
	pid, err := syscall.ForkExec("/bin/true", []string{"true"}, &syscall.ProcAttr{})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the child to become a zombie", func() bool { return processState(pid) == "Z" })
	reapExited()
	if state := processState(pid); state != "" {
		t.Fatalf("child %d still present in state %q after reapExited", pid, state)
	}
}

func TestExitsZeroOnTermAndInt(t *testing.T) {
	bin := buildPause(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // let it install its signal handlers
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("after %v: %v, want exit status 0", sig, err)
			}
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("still running 5 s after %v", sig)
		}
	}
}

func TestRejectsUnknownArgument(t *testing.T) {
	out, err := exec.Command(buildPause(t), "--bogus").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), `"--bogus"`) {
		t.Fatalf("got %v, output %q; want exit status 2 naming the argument", err, out)
	}
}

// As PID 1 of a new PID namespace (as in a pod sandbox), an orphan that exits is reaped by pause.
// Needs root and unshare(1); skipped otherwise.
func TestReapsOrphansAsPID1(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a PID namespace")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("needs unshare(1)")
	}
	bin := buildPause(t)
	// unshare forks pause as PID 1 of the new namespace; the orphan is made by a shell started in the same
	// namespace through nsenter, which exits at once and leaves `sleep` to be re-parented to pause.
	ns := exec.Command(unshare, "--pid", "--fork", "--kill-child", bin)
	if err := ns.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ns.Process.Kill(); _ = ns.Wait() })
	var pausePID int
	waitFor(t, "pause to start under unshare", func() bool {
		f := children(ns.Process.Pid)
		if len(f) == 0 {
			return false
		}
		pausePID, err = strconv.Atoi(f[0])
		return err == nil
	})
	out, err := exec.Command("nsenter", "-t", strconv.Itoa(pausePID), "-p", "--", "sh", "-c", "sleep 0.3 & echo $!").CombinedOutput()
	if err != nil {
		t.Fatalf("nsenter: %v\n%s", err, out)
	}
	// The orphan must become pause's child, then disappear (reaped) rather than linger as a zombie.
	waitFor(t, "the orphan to be re-parented to pause", func() bool {
		return len(children(pausePID)) > 0
	})
	waitFor(t, "pause to reap the orphan", func() bool {
		return len(children(pausePID)) == 0
	})
}

package proc

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Uma thread presa (LockOSThread) dormindo em nanosleep aparece em
// WaitChannels como "sleep" (hrtimer_nanosleep): o kernel diz onde ela espera.
func TestWaitChannelsSeesNanosleep(t *testing.T) {
	const n = 3
	ready := make(chan struct{})
	for range n {
		go func() {
			runtime.LockOSThread()
			ready <- struct{}{}
			ts := unix.NsecToTimespec(int64(3 * time.Second))
			unix.Nanosleep(&ts, nil) // dorme no kernel, nesta thread
		}()
	}
	for range n {
		<-ready
	}
	var w Waits
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var err error
		if w, err = WaitChannels(os.Getpid()); err != nil {
			t.Fatal(err)
		}
		if w.Count("sleep") >= n {
			break
		}
	}
	if w.Count("sleep") < n {
		t.Fatalf("esperava %d threads em sleep, wchan: %v", n, w)
	}
	if !strings.Contains(w.String(), "sleep (hrtimer_nanosleep)") && !strings.Contains(w.String(), "sleep (do_nanosleep)") {
		t.Errorf("o texto devia trazer o nome do kernel: %q", w)
	}
	if w.Threads() < n+1 {
		t.Errorf("Threads() = %d, esperava pelo menos %d", w.Threads(), n+1)
	}
}

// GoThreads (o runtime do Go) e Threads (o kernel, /proc/self/status)
// contam as mesmas threads: num programa Go puro, toda thread é do runtime.
func TestGoThreadsMatchesKernel(t *testing.T) {
	for range 5 {
		g, k := GoThreads(), Threads()
		if g == k {
			return
		}
		time.Sleep(20 * time.Millisecond) // uma thread nascendo ou morrendo entre as duas leituras
	}
	t.Fatalf("GoThreads() = %d, Threads() (/proc) = %d", GoThreads(), Threads())
}

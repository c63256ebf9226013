package proc

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestThreadsRiseWithLockedGoroutines(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("contagem de threads do SO só é informada no Linux")
	}
	before := Self().Threads
	const n = 20
	release := make(chan struct{})
	started := make(chan struct{})
	for range n {
		go func() {
			// Presa a uma thread do SO e bloqueada num canal: o runtime não
			// pode reaproveitar a thread, então precisa criar outra.
			runtime.LockOSThread()
			started <- struct{}{}
			<-release
		}()
	}
	for range n {
		<-started
	}
	during := Self().Threads
	close(release)
	// Cada goroutine presa ocupa uma thread só dela, e esta goroutine roda
	// numa outra: pelo menos n+1. ("antes + n" não vale: as primeiras podem
	// reaproveitar threads ociosas que o runtime já tinha criado.)
	if during < n+1 {
		t.Fatalf("threads antes=%d durante=%d: esperava pelo menos %d", before, during, n+1)
	}
}

func TestCPURisesAfterBusyLoop(t *testing.T) {
	before := Self()
	if before.CPU() < 0 {
		t.Skip("CPU não informada neste sistema")
	}
	x := 0
	for deadline := time.Now().Add(200 * time.Millisecond); time.Now().Before(deadline); {
		x++
	}
	after := Self()
	if got := after.CPU() - before.CPU(); got < 100*time.Millisecond {
		t.Fatalf("200 ms de laço ocupado somaram só %v de CPU (x=%d)", got, x)
	}
	if after.Switches() < 0 {
		t.Fatal("trocas de contexto não informadas")
	}
}

func TestOfSelfMatchesSelf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Of só é suportado no Linux")
	}
	f, err := Of(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if f.Threads < 1 || f.RSS <= 0 || f.PeakRSS < f.RSS || f.User < 0 || f.Voluntary < 0 {
		t.Fatalf("números implausíveis: %+v", f)
	}
	if _, err := Of(1 << 30); err == nil {
		t.Fatal("Of de um PID inexistente não deu erro")
	}
}

func TestFormatting(t *testing.T) {
	f := Figures{Threads: 12, RSS: 8 << 20, PeakRSS: 9 << 20, User: 100 * time.Millisecond,
		System: 20 * time.Millisecond, Voluntary: 340, Involuntary: 12}
	if got, want := f.Compact(), "threads SO: 12 | RSS 8.0MiB (pico 9.0MiB) | CPU 0.12s | trocas 340v/12i"; got != want {
		t.Errorf("Compact = %q, want %q", got, want)
	}
	if got := unknown().Compact(); strings.Count(got, "n/d") != 6 {
		t.Errorf("desconhecido deveria mostrar n/d: %q", got)
	}
	if got, want := f.Keys(), "rss_pico=9.0MiB cpu_usuario=0.10s cpu_sistema=0.02s trocas_vol=340 trocas_invol=12"; got != want {
		t.Errorf("Keys = %q, want %q", got, want)
	}
	if Bytes(1536) != "1.5KiB" || Bytes(3<<30) != "3.00GiB" {
		t.Error("Bytes")
	}
}

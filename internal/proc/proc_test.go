package proc

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// threadsReported: os sistemas em que Of diz as threads e a memória de
// outro processo (Linux: /proc; macOS: ps; FreeBSD e NetBSD: sysctl;
// Windows: Toolhelp32 e K32GetProcessMemoryInfo). Só o job Linux do CI e
// esta máquina rodam o Linux; os jobs macOS e Windows do GitHub rodam esses
// sistemas, e o Windows roda também aqui, sob o Wine
// (scripts/wine/run-tests.sh); FreeBSD e NetBSD são só compilados. Threads
// (do próprio processo) é informado em todo sistema: onde o sistema não
// diz, pelo runtime do Go (GoThreads).
func threadsReported() bool {
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd", "netbsd", "windows":
		return true
	}
	return false
}

// switchesReported: o Windows não informa trocas de contexto por processo.
func switchesReported() bool { return runtime.GOOS != "windows" }

// waitThreads espera Threads() chegar a pelo menos min e o devolve; em no
// máximo 10 s (uma thread nova pode levar um instante para aparecer).
func waitThreads(t *testing.T, min int) int {
	t.Helper()
	n := Threads()
	for deadline := time.Now().Add(10 * time.Second); n < min && time.Now().Before(deadline); n = Threads() {
		time.Sleep(20 * time.Millisecond)
	}
	return n
}

func TestThreadsRiseWithLockedGoroutines(t *testing.T) {
	before := waitThreads(t, 1)
	if before < 1 {
		t.Fatalf("Threads() = %d: esperava a contagem de threads do processo", before)
	}
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
	during := waitThreads(t, n+1)
	close(release)
	// Cada goroutine presa ocupa uma thread só dela, e esta goroutine roda
	// numa outra: pelo menos n+1. ("antes + n" não vale: as primeiras podem
	// reaproveitar threads ociosas que o runtime já tinha criado.)
	if during < n+1 {
		t.Fatalf("threads antes=%d durante=%d: esperava pelo menos %d", before, during, n+1)
	}
	if g := GoThreads(); g < n+1 {
		t.Errorf("GoThreads() = %d com %d goroutines presas, esperava pelo menos %d", g, n, n+1)
	}
	if f := Self(); f.Threads < 1 {
		t.Errorf("Self sem threads: %+v", f)
	}
	if f := Self(); threadsReported() && (f.RSS <= 0 && runtime.GOOS != "darwin" || f.PeakRSS <= 0) {
		t.Errorf("Self sem memória: %+v", f)
	}
}

// Of do próprio processo, em todo sistema que mede outro processo: é o
// que o amostrador do cmd/roteiro usa para encher as colunas de threads e
// memória.
func TestOfSelf(t *testing.T) {
	if !threadsReported() {
		if _, err := Of(os.Getpid()); err == nil {
			t.Fatalf("Of em %s devia dizer que não é suportado", runtime.GOOS)
		}
		t.Skipf("Of não é suportado em %s", runtime.GOOS)
	}
	f, err := Of(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if f.Threads < 1 || f.RSS <= 0 {
		t.Fatalf("Of(os.Getpid()) sem threads ou memória: %+v", f)
	}
	if _, err := Of(1 << 30); err == nil {
		t.Fatal("Of de um PID inexistente não deu erro")
	}
}

// O contador de CPU anda quando a CPU é usada. Numa máquina carregada, 200 ms
// de relógio podem render poucos milissegundos de CPU: o laço gira até o
// contador andar 50 ms (no máximo 30 s de relógio), e o teste exige que ande.
func TestCPURisesAfterBusyLoop(t *testing.T) {
	before := Self()
	if before.CPU() < 0 {
		t.Skip("CPU não informada neste sistema")
	}
	const want = 50 * time.Millisecond
	x, got := 0, time.Duration(0)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		for range 1 << 20 {
			x++
		}
		if got = Self().CPU() - before.CPU(); got >= want {
			break
		}
	}
	if got < want {
		t.Fatalf("30 s de laço ocupado somaram só %v de CPU (x=%d)", got, x)
	}
	if sw := Self().Switches(); switchesReported() != (sw >= 0) {
		t.Fatalf("trocas de contexto = %d em %s: esperava %s", sw, runtime.GOOS,
			map[bool]string{true: "um número", false: "n/d (-1)"}[switchesReported()])
	}
}

// Onde Of diz tudo do outro processo (o /proc do Linux; no Windows, tudo
// menos as trocas de contexto), os números são plausíveis.
func TestOfSelfMatchesSelf(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "windows" {
		t.Skip("Of diz pico de memória e CPU de outro processo só no Linux e no Windows")
	}
	f, err := Of(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if f.Threads < 1 || f.RSS <= 0 || f.PeakRSS < f.RSS || f.User < 0 || f.System < 0 || switchesReported() != (f.Voluntary >= 0) {
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
	if got, want := unknown().Compact(), "threads SO: n/d | RSS n/d (pico n/d) | CPU n/d | trocas n/d"; got != want {
		t.Errorf("desconhecido: %q, esperava %q", got, want)
	}
	if got, want := f.Keys(), "rss_pico=9.0MiB cpu_usuario=0.10s cpu_sistema=0.02s trocas_vol=340 trocas_invol=12"; got != want {
		t.Errorf("Keys = %q, want %q", got, want)
	}
	if Bytes(1536) != "1.5KiB" || Bytes(3<<30) != "3.00GiB" {
		t.Error("Bytes")
	}
}

// Self lê /proc/self/status (custo constante), e Of, o /proc de qualquer
// processo: os dois concordam nas threads do próprio processo. No Windows,
// Self conta as threads pelo runtime do Go e Of pela foto das threads da
// máquina: também devem concordar.
func TestSelfMatchesOf(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "windows" {
		t.Skip("Self e Of leem a mesma fonte só no Linux; no Windows, duas fontes que devem concordar")
	}
	s := Self()
	f, err := Of(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.Threads < 1 || s.RSS <= 0 || s.PeakRSS < s.RSS {
		t.Fatalf("Self implausível: %+v", s)
	}
	// No Windows a foto pode ter threads que o runtime do Go não criou (as
	// do carregador paralelo de DLLs, que ficam um tempo depois do início, e
	// as do pool de threads do sistema): Of pode ver algumas a mais.
	extra := 3
	if runtime.GOOS == "windows" {
		extra = 10
	}
	if d := f.Threads - s.Threads; d < -3 || d > extra {
		t.Errorf("Self viu %d threads, Of viu %d", s.Threads, f.Threads)
	}
}

func TestWaitsString(t *testing.T) {
	w := Waits{"hrtimer_nanosleep": 20, "inet_csk_accept": 1, "futex_do_wait": 6, "0": 1, "xyz": 2}
	want := "20 sleep (hrtimer_nanosleep) · 6 futex (futex_do_wait) · 2 xyz · 1 rodando · 1 accept (inet_csk_accept)"
	if got := w.String(); got != want {
		t.Errorf("String = %q\nwant     %q", got, want)
	}
	if w.Count("sleep") != 20 || w.Count("accept") != 1 || w.Count("recv") != 0 || w.Threads() != 30 {
		t.Errorf("Count/Threads errados: %v", w)
	}
	if (Waits{}).String() != "n/d" {
		t.Error("vazio devia ser n/d")
	}
}

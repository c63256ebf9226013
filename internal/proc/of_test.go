package proc

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"roteiro2/internal/wine"
)

// lockedThreads é quantas goroutines o processo ajudante prende, cada uma
// na sua thread do SO.
const lockedThreads = 20

// TestHelperLockedThreads não é um teste: é o processo ajudante de
// TestOfAnotherProcess (o mesmo binário de teste, rodado de novo com
// PROC_AJUDANTE=1). Prende lockedThreads goroutines em threads do SO, gasta
// um pouco de CPU, diz "pronto" e espera a entrada fechar.
func TestHelperLockedThreads(t *testing.T) {
	if os.Getenv("PROC_AJUDANTE") != "1" {
		t.Skip("só roda como processo ajudante de TestOfAnotherProcess")
	}
	for range lockedThreads {
		go func() {
			runtime.LockOSThread()
			select {}
		}()
	}
	for Threads() < lockedThreads+1 {
		time.Sleep(time.Millisecond)
	}
	for start := time.Now(); time.Since(start) < 100*time.Millisecond; {
		// 100 ms de CPU, para o /proc ou o GetProcessTimes contarem
	}
	os.Stdout.WriteString("pronto\n")
	io.Copy(io.Discard, os.Stdin)
	os.Exit(0) // sai sem o resumo do pacote testing
}

// Of de outro processo, como o roteiro mede um servidor: um processo com
// lockedThreads threads presas aparece com pelo menos isso de threads,
// memória e CPU; depois que ele termina, Of dá erro.
func TestOfAnotherProcess(t *testing.T) {
	if !threadsReported() {
		t.Skipf("Of não mede outro processo em %s", runtime.GOOS)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLockedThreads$")
	cmd.Env = append(os.Environ(), "PROC_AJUDANTE=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
		io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-ready:
		if line != "pronto\n" {
			t.Fatalf("o ajudante disse %q", line)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("o ajudante não ficou pronto em 30 s")
	}

	f, err := Of(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ajudante com %d threads presas: %s", lockedThreads, f.Compact())
	if f.Threads < lockedThreads+1 {
		t.Errorf("Of viu %d threads; esperava pelo menos %d", f.Threads, lockedThreads+1)
	}
	if f.RSS <= 0 {
		t.Errorf("Of sem memória: %+v", f)
	}
	if f.PeakRSS >= 0 && f.PeakRSS < f.RSS { // o macOS não diz o pico de outro processo
		t.Errorf("pico de memória abaixo da atual: %+v", f)
	}
	switch {
	case wine.Detected():
		// Sob o Wine 8, GetProcessTimes de OUTRO processo conta só uma
		// fração da CPU (medido: 0,03 s de 1,5 s gastos); a do próprio
		// processo (Self) está certa. Só o número existir é conferido.
		if f.CPU() < 0 {
			t.Errorf("Of sem CPU: %+v", f)
		}
	case runtime.GOOS == "linux" || runtime.GOOS == "windows":
		if f.CPU() <= 0 {
			t.Errorf("o ajudante gastou CPU e Of diz %v", f.CPU())
		}
	}

	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("o ajudante saiu com %v", err)
	}
	if f, err := Of(cmd.Process.Pid); err == nil {
		t.Errorf("Of de um processo que já terminou não deu erro: %+v", f)
	}
}

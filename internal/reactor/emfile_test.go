//go:build linux

package reactor

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

const envEMFILE = "REACTOR_TEST_EMFILE_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(envEMFILE) != "" {
		emfileChild()
		return
	}
	os.Exit(m.Run())
}

// emfileChild roda no subprocesso: baixa o próprio RLIMIT_NOFILE (nunca o
// do processo de teste) e serve eco com fechamento com espera.
func emfileChild() {
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &unix.Rlimit{Cur: 24, Max: 24}); err != nil {
		fmt.Println("setrlimit:", err)
		os.Exit(3)
	}
	h := &fh{t: childReporter{}, data: func(c *Conn, in []byte) { c.Write(in); c.Close() }}
	l, err := New(Config{Handler: h, Logf: func(f string, a ...any) { fmt.Printf(f+"\n", a...) }})
	if err != nil {
		fmt.Println(err)
		os.Exit(3)
	}
	port, err := l.Listen("127.0.0.1", 0, 128)
	if err != nil {
		fmt.Println(err)
		os.Exit(3)
	}
	fmt.Println("porta", port)
	l.Run()
}

// childReporter leva a falha de um invariante do subprocesso até o teste
// pai: uma linha com childFailure na saída, que o pai procura.
type childReporter struct{}

const childFailure = "INVARIANTE VIOLADO: "

func (childReporter) Errorf(format string, args ...any) {
	fmt.Printf(childFailure+format+"\n", args...)
}

// Sem descritores (EMFILE) o laço não gira em falso: para de olhar o socket
// de escuta, avisa uma vez por episódio, segue servindo e volta a aceitar.
func TestEMFILEDoesNotSpin(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envEMFILE+"=1")
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var out []string
	next := func(prefix string) string {
		for {
			select {
			case s, ok := <-lines:
				if !ok {
					t.Fatalf("o filho terminou; saída: %q", out)
				}
				out = append(out, s)
				if strings.HasPrefix(s, prefix) || strings.Contains(s, prefix) {
					return s
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("sem %q em 10 s; saída: %q", prefix, out)
			}
		}
	}
	port := strings.TrimPrefix(next("porta "), "porta ")
	const n = 40 // muito além dos ~17 descritores livres do filho
	conns := make([]io.ReadWriteCloser, n)
	for i := range conns {
		conns[i] = dial(t, "127.0.0.1:"+port)
	}
	next("accept falhou")
	cpu0 := cpuOf(t, cmd.Process.Pid)
	start := time.Now()
	time.Sleep(500 * time.Millisecond) // janela de medição da CPU, não sincronização
	cpu, wall := cpuOf(t, cmd.Process.Pid)-cpu0, time.Since(start)
	t.Logf("com EMFILE: %v de CPU em %v", cpu, wall)
	if cpu > wall/5 {
		t.Errorf("o filho usou %v de CPU em %v sem descritores: gira em falso", cpu, wall)
	}
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			c.Write([]byte("x"))
			if b, err := io.ReadAll(c); err != nil || string(b) != "x" {
				t.Errorf("eco %q, %v", b, err)
			}
		}()
	}
	wg.Wait()
	cmd.Process.Kill()
	cmd.Wait()
	pw.Close()
	for s := range lines {
		out = append(out, s)
	}
	all := strings.Join(out, "\n")
	if strings.Contains(all, childFailure) {
		t.Errorf("o filho violou um invariante do Handler:\n%s", all)
	}
	if f, v := strings.Count(all, "accept falhou"), strings.Count(all, "voltou a funcionar"); f < 1 || f > v+1 {
		t.Errorf("%d avisos de falha para %d de volta (esperado um por episódio):\n%s", f, v, all)
	}
}

func cpuOf(t *testing.T, pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

// Package e2e tem os ajudantes dos testes de ponta a ponta: compila os
// programas de cmd/ uma vez por binário de teste, inicia servidores reais em
// portas livres do loopback (-port 0, lendo a porta da linha de início),
// espera por linhas impressas em vez de dormir, roda clientes até o fim e lê
// a linha RESUMO.
package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"roteiro2/internal/outbuf"
	"roteiro2/internal/summary"
)

var (
	buildMu  sync.Mutex
	built    = map[string]string{}
	buildDir string
)

// Main é o TestMain dos pacotes que usam e2e: roda os testes e apaga os
// binários compilados.
//
//	func TestMain(m *testing.M) { e2e.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// BinEnv é a variável de ambiente com uma pasta de programas já compilados
// (serverbloq.exe, client.exe...): com ela, Build não compila nada e usa os
// de lá. É como os testes rodam sob o Wine (scripts/wine/run-tests.sh), onde
// não há Go para compilar, ou numa máquina sem o Go.
const BinEnv = "ROTEIRO2_BIN"

// Build compila roteiro2/cmd/<cmd> (com -race se o teste roda com -race) e
// devolve o caminho do executável; compila cada programa uma vez só. Com
// ROTEIRO2_BIN (BinEnv), usa o programa já compilado daquela pasta.
func Build(t testing.TB, cmd string) string {
	t.Helper()
	exe := cmd
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	if dir := os.Getenv(BinEnv); dir != "" {
		p := filepath.Join(dir, exe)
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s=%s não tem o programa %s (compile com GOOS=%s go build -o PASTA ./cmd/...): %v",
				BinEnv, dir, exe, runtime.GOOS, err)
		}
		return p
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := built[cmd]; ok {
		return p
	}
	if root := moduleRoot(t); !exists(filepath.Join(root, "cmd", cmd)) {
		t.Skipf("não há cmd/%s neste repositório (a edição dos alunos da trilha Python não traz o server_async em Go)", cmd)
	}
	if buildDir == "" {
		d, err := os.MkdirTemp("", "roteiro2-e2e-")
		if err != nil {
			t.Fatal(err)
		}
		os.Chmod(d, 0o755) // um teste pode rodar um programa como outro usuário
		buildDir = d
	}
	out := filepath.Join(buildDir, exe)
	args := []string{"build", "-o", out}
	if raceEnabled {
		args = append(args, "-race")
	}
	args = append(args, "roteiro2/cmd/"+cmd)
	c := exec.Command("go", args...)
	if msg, err := c.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", cmd, err, msg)
	}
	built[cmd] = out
	return out
}

var root string // a raiz do módulo (go env GOMOD), achada uma vez

// moduleRoot devolve a raiz do módulo roteiro2; chame com buildMu travado.
func moduleRoot(t testing.TB) string {
	if root == "" {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil || len(bytes.TrimSpace(out)) == 0 {
			t.Fatalf("go env GOMOD: %v", err)
		}
		root = filepath.Dir(string(bytes.TrimSpace(out)))
	}
	return root
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Server é um servidor do laboratório rodando como processo filho.
type Server struct {
	Cmd  *exec.Cmd
	Port int
	Addr string // "127.0.0.1:PORT"

	out  *outbuf.Buffer
	done chan struct{} // fechado quando o processo terminou
	err  error         // resultado de Wait, válido depois de done
}

var startLine = regexp.MustCompile(`(?:Servidor rodando|Rodando) em [0-9.]+:(\d+)`)

// StartServer compila e inicia cmd com args e "-port 0", espera a linha de
// início (10 s no máximo) e lê dela a porta escolhida pelo kernel. Ao fim do
// teste o servidor recebe o pedido de parada (Terminate) e é morto se não
// sair em 10 s.
func StartServer(t testing.TB, cmd string, args ...string) *Server {
	t.Helper()
	return StartServerCmd(t, exec.Command(Build(t, cmd), append(args, "-port", "0")...))
}

// StartServerCmd é StartServer para um exec.Cmd já montado (por exemplo um
// que passa por um invólucro que baixa o RLIMIT_NOFILE antes do exec).
func StartServerCmd(t testing.TB, c *exec.Cmd) *Server {
	t.Helper()
	s := &Server{Cmd: c, out: &outbuf.Buffer{}, done: make(chan struct{})}
	c.Stdout, c.Stderr = s.out, s.out
	c.Env = withRaceEnv(c.Env)
	prepare(c) // no Windows: um grupo de processos só dele, para Terminate
	if err := c.Start(); err != nil {
		t.Fatalf("iniciar %s: %v", c.Path, err)
	}
	go func() { s.err = c.Wait(); close(s.done) }()
	t.Cleanup(func() { s.stop() })

	line := s.waitMatch(t, startLine, 10*time.Second)
	m := startLine.FindStringSubmatch(line)
	s.Port, _ = strconv.Atoi(m[1])
	s.Addr = fmt.Sprintf("127.0.0.1:%d", s.Port)
	return s
}

// Output devolve tudo o que o servidor imprimiu até agora.
func (s *Server) Output() string { return s.out.String() }

// WaitFor espera até timeout uma linha que contenha substr e a devolve.
func (s *Server) WaitFor(t testing.TB, substr string, timeout time.Duration) string {
	t.Helper()
	return s.waitMatch(t, regexp.MustCompile(regexp.QuoteMeta(substr)), timeout)
}

// WaitMatch espera até timeout uma linha que case com re e a devolve.
func (s *Server) WaitMatch(t testing.TB, re *regexp.Regexp, timeout time.Duration) string {
	t.Helper()
	return s.waitMatch(t, re, timeout)
}

func (s *Server) waitMatch(t testing.TB, re *regexp.Regexp, timeout time.Duration) string {
	t.Helper()
	line, err := s.out.WaitLine(re, s.done, timeout)
	switch {
	case errors.Is(err, outbuf.ErrExited):
		t.Fatalf("%s terminou (%v) sem imprimir %q; saída:\n%s", filepath.Base(s.Cmd.Path), s.err, re, s.Output())
	case err != nil:
		t.Fatalf("%s não imprimiu %q em %v; saída:\n%s", filepath.Base(s.Cmd.Path), re, timeout, s.Output())
	}
	return line
}

// Stop pede a parada (Terminate), espera o fim (10 s; depois mata o
// processo e falha) e devolve a saída completa e o código de saída.
func (s *Server) Stop(t testing.TB) (output string, exitCode int) {
	t.Helper()
	if !s.stop() {
		t.Errorf("%s não terminou 10 s depois do pedido de parada (%s); foi morto", filepath.Base(s.Cmd.Path), stopName)
	}
	return s.Output(), s.Cmd.ProcessState.ExitCode()
}

// stop termina o processo; devolve false se foi preciso matá-lo.
func (s *Server) stop() bool {
	select {
	case <-s.done:
		return true
	default:
	}
	if err := s.Terminate(); err != nil && !errors.Is(err, os.ErrProcessDone) && !s.exited() {
		// Só para quem lê a saída na falha: o processo será morto em 10 s.
		s.out.Write([]byte("[e2e] o pedido de parada não saiu: " + err.Error() + "\n"))
	}
	select {
	case <-s.done:
		return true
	case <-time.After(10 * time.Second):
		s.Cmd.Process.Kill()
		<-s.done
		return false
	}
}

// exited diz se o processo já terminou.
func (s *Server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// StopOK é Stop exigindo código de saída 0 (um servidor que recebe o pedido
// de parada termina normalmente); devolve a saída completa.
func (s *Server) StopOK(t testing.TB) string {
	t.Helper()
	out, code := s.Stop(t)
	if code != 0 {
		t.Fatalf("%s saiu com %d depois do pedido de parada (%s); saída:\n%s", filepath.Base(s.Cmd.Path), code, stopName, out)
	}
	return out
}

// ServerResumo lê a linha [RESUMO SERVIDOR] da saída de um servidor:
// atendidas, falhas, interrompidas e threads_pico (-1 quando "n/d").
func ServerResumo(t testing.TB, out string) (served, failed, interrupted, peakThreads int) {
	t.Helper()
	k := summary.ServerKeys(out)
	n := func(key string) int {
		if k[key] == "n/d" {
			return -1
		}
		v, err := strconv.Atoi(k[key])
		if err != nil {
			t.Fatalf("[RESUMO SERVIDOR] sem %s= numérico na saída:\n%s", key, out)
		}
		return v
	}
	return n("atendidas"), n("falhas"), n("interrompidas"), n("threads_pico")
}

// Exchange é um cliente mínimo: conecta, envia msg e lê tudo até o servidor
// fechar (EOF), com um prazo para a troca inteira.
func Exchange(addr string, msg []byte, timeout time.Duration) ([]byte, error) {
	c, err := net.DialTimeout("tcp4", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write(msg); err != nil {
		return nil, err
	}
	return io.ReadAll(c)
}

// Pid do servidor.
func (s *Server) Pid() int { return s.Cmd.Process.Pid }

// RunClient compila e roda cmd até o fim (60 s no máximo), exige código de
// saída 0 e devolve stdout seguido de stderr, e o RESUMO lido de stdout.
func RunClient(t testing.TB, cmd string, args ...string) (output string, r summary.Resumo) {
	t.Helper()
	stdout, stderr, code := Run(t, 60*time.Second, cmd, args...)
	if code != 0 {
		t.Fatalf("%s %v saiu com %d:\n%s%s", cmd, args, code, stdout, stderr)
	}
	r, err := summary.Find(stdout)
	if err != nil {
		t.Fatalf("%s %v: %v\n%s%s", cmd, args, err, stdout, stderr)
	}
	return stdout + stderr, r
}

// Run compila e roda cmd com args até o fim ou até timeout (quando falha o
// teste) e devolve stdout, stderr e o código de saída.
func Run(t testing.TB, timeout time.Duration, cmd string, args ...string) (stdout, stderr string, exitCode int) {
	t.Helper()
	bin := Build(t, cmd) // antes do relógio: compilar não conta no prazo
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c := exec.CommandContext(ctx, bin, args...)
	var o, e bytes.Buffer
	c.Stdout, c.Stderr = &o, &e
	c.Env = withRaceEnv(nil)
	err := c.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %v não terminou em %v:\n%s%s", cmd, args, timeout, o.String(), e.String())
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("%s: %v", cmd, err)
	}
	return o.String(), e.String(), c.ProcessState.ExitCode()
}

// FDCount conta os descritores abertos do processo pid (/proc/pid/fd).
// Fora do Linux o teste é pulado: só o Linux oferece essa contagem.
func FDCount(t testing.TB, pid int) int {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("contagem de descritores por /proc só existe no Linux")
	}
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// withRaceEnv acrescenta GORACE=atexit_sleep_ms=0 ao ambiente (env, ou o do
// teste se env for nil): um programa compilado com -race espera 1 s ao sair,
// o que somaria um segundo a cada cliente e servidor dos testes.
func withRaceEnv(env []string) []string {
	if env == nil {
		env = os.Environ()
	}
	return append(env, "GORACE=atexit_sleep_ms=0")
}

// FreePort devolve uma porta TCP livre do loopback neste instante (o kernel
// a escolhe; outro processo pode tomá-la depois, então prefira -port 0).
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

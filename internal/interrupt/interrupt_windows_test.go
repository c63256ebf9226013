package interrupt

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"roteiro2/internal/wine"
)

// TestHelperChild não é um teste: é o processo filho dos testes abaixo (o
// mesmo binário, de novo, com INTERRUPT_FILHO=1). Faz o que um servidor
// faz: no primeiro os.Interrupt diz "parando" e volta à ação padrão do
// evento; se ficar só com isso (INTERRUPT_FILHO_SAI=1), sai com 0; senão
// espera o segundo, que o encerra pela ação padrão.
func TestHelperChild(t *testing.T) {
	if os.Getenv("INTERRUPT_FILHO") != "1" {
		t.Skip("só roda como processo ajudante dos testes deste pacote")
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	os.Stdout.WriteString("pronto\n")
	select {
	case <-sig:
	case <-time.After(60 * time.Second):
		os.Stdout.WriteString("nenhum sinal em 60 s\n")
		os.Exit(3)
	}
	signal.Reset(os.Interrupt)
	os.Stdout.WriteString("parando\n")
	if os.Getenv("INTERRUPT_FILHO_SAI") == "1" {
		os.Exit(0)
	}
	time.Sleep(60 * time.Second) // o segundo evento termina o processo antes
	os.Stdout.WriteString("o segundo evento não veio em 60 s\n")
	os.Exit(4)
}

// child é um TestHelperChild rodando, com a saída linha a linha.
type child struct {
	cmd   *exec.Cmd
	lines chan string
	done  chan struct{}
}

func startChild(t *testing.T, exitOnFirst bool) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperChild$")
	cmd.Env = append(os.Environ(), "INTERRUPT_FILHO=1")
	if exitOnFirst {
		cmd.Env = append(cmd.Env, "INTERRUPT_FILHO_SAI=1")
	}
	Prepare(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, lines: make(chan string, 10), done: make(chan struct{})}
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			c.lines <- s.Text()
		}
		io.Copy(io.Discard, out)
		cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-c.done
	})
	c.expect(t, "pronto")
	return c
}

// expect espera (até 30 s) a próxima linha do filho e confere que é want.
func (c *child) expect(t *testing.T, want string) {
	t.Helper()
	select {
	case got := <-c.lines:
		if got != want {
			t.Fatalf("o filho disse %q; esperava %q", got, want)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("o filho não disse %q em 30 s", want)
	}
}

// wait espera (até 30 s) o filho terminar e devolve o código de saída.
func (c *child) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-c.done:
		return c.cmd.ProcessState.ExitCode()
	case <-time.After(30 * time.Second):
		t.Fatal("o filho não terminou em 30 s")
		return 0
	}
}

func send(t *testing.T, pid int) {
	t.Helper()
	if err := Send(pid); err != nil {
		t.Fatalf("Send(%d): %v (o processo de teste tem um console? GenerateConsoleCtrlEvent exige um)", pid, err)
	}
}

// O pedido chega como os.Interrupt, e o filho sai pelo próprio código.
func TestSendStops(t *testing.T) {
	c := startChild(t, true)
	send(t, c.cmd.Process.Pid)
	c.expect(t, "parando")
	if code := c.wait(t); code != 0 {
		t.Fatalf("o filho saiu com %d; esperava 0", code)
	}
}

// A regra do segundo Ctrl-C: o primeiro começa a parada, o segundo encerra
// o processo pela ação padrão (STATUS_CONTROL_C_EXIT). O filho dormiria 60 s
// depois do primeiro: terminar dentro do prazo de wait (30 s) já mostra que
// foi o segundo evento.
func TestSecondSendKills(t *testing.T) {
	c := startChild(t, false)
	send(t, c.cmd.Process.Pid)
	c.expect(t, "parando")
	send(t, c.cmd.Process.Pid)
	code := c.wait(t)
	switch {
	case wine.Detected() && code == 0:
		// A ação padrão do Wine 8 encerra o processo com 0, não com
		// STATUS_CONTROL_C_EXIT (versões mais novas do Wine corrigiram).
	case !ExitedByInterrupt(code):
		t.Fatalf("o filho saiu com %#x; esperava STATUS_CONTROL_C_EXIT (%#x)", uint32(code), uint32(windows.STATUS_CONTROL_C_EXIT))
	}
	ctrlCExit := uint32(windows.STATUS_CONTROL_C_EXIT) // int(ctrlCExit) é negativo em 32 bits
	if ExitedByInterrupt(0) || ExitedByInterrupt(1) || !ExitedByInterrupt(int(ctrlCExit)) {
		t.Fatal("ExitedByInterrupt deve aceitar só STATUS_CONTROL_C_EXIT")
	}
}

// O pedido alcança só o processo pedido: outro filho, iniciado do mesmo
// jeito, continua rodando e depois para com o seu próprio pedido.
func TestSendReachesOnlyTarget(t *testing.T) {
	a, b := startChild(t, true), startChild(t, true)
	send(t, a.cmd.Process.Pid)
	a.expect(t, "parando")
	a.wait(t)
	// Provar que algo NÃO aconteceu exige esperar um pouco: o evento de a
	// já chegou a a, e chegaria a b no mesmo instante.
	time.Sleep(300 * time.Millisecond)
	select {
	case line := <-b.lines:
		t.Fatalf("o outro filho também recebeu o pedido: %q", line)
	case <-b.done:
		t.Fatal("o outro filho terminou junto")
	default:
	}
	send(t, b.cmd.Process.Pid)
	b.expect(t, "parando")
	if code := b.wait(t); code != 0 {
		t.Fatalf("o outro filho saiu com %d", code)
	}
}

// Prepare escolhe o caminho que funciona aqui: um grupo novo no Windows, um
// console novo sob o Wine (que não entrega CTRL_BREAK_EVENT).
func TestPrepareFlags(t *testing.T) {
	cmd := exec.Command("x")
	Prepare(cmd)
	const newGroup, newConsole = 0x200, 0x10
	got := cmd.SysProcAttr.CreationFlags
	want := uint32(newGroup)
	if wine.Detected() {
		want = newConsole
	}
	if got != want {
		t.Fatalf("CreationFlags = %#x; esperava %#x", got, want)
	}
}

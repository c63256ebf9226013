package main

// Processos filhos: cada servidor e cada cliente roda como processo à parte,
// com a saída guardada em memória. Todo filho nasce com um contexto: quando
// o contexto acaba (Ctrl-C, prazo da etapa estourado), o grupo de processos
// inteiro do filho é morto, e um registro global garante que nenhum filho
// sobreviva ao roteiro mesmo numa saída antecipada.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"sync"
	"time"
)

// outputBuffer acumula o que um filho escreve e avisa quem espera uma linha.
type outputBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // fechado e trocado a cada escrita
}

func newOutputBuffer() *outputBuffer { return &outputBuffer{changed: make(chan struct{})} }

func (o *outputBuffer) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	close(o.changed)
	o.changed = make(chan struct{})
	return len(p), nil
}

// String devolve tudo o que foi escrito até agora.
func (o *outputBuffer) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

func (o *outputBuffer) snapshot() (string, <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String(), o.changed
}

// child é um processo filho em execução.
type child struct {
	name string
	cmd  *exec.Cmd
	out  *outputBuffer // stdout e stderr juntos (servidores)
	err  *outputBuffer // stderr separado (clientes: o RESUMO sai no stdout)
	done chan struct{} // fechado quando o processo terminou
	wait error         // resultado de Wait, válido depois de done
}

var (
	liveMu sync.Mutex
	live   = map[*child]bool{} // filhos ainda não colhidos
)

// startChild inicia bin com args. Com separateStderr, stderr vai para
// c.err; senão stdout e stderr vão juntos para c.out.
func startChild(ctx context.Context, name, bin string, args []string, separateStderr bool) (*child, error) {
	c := &child{name: name, out: newOutputBuffer(), err: newOutputBuffer(), done: make(chan struct{})}
	c.cmd = exec.CommandContext(ctx, bin, args...)
	c.cmd.Stdout = c.out
	c.cmd.Stderr = c.out
	if separateStderr {
		c.cmd.Stderr = c.err
	}
	setProcessGroup(c.cmd)
	// Contexto cancelado: mata o grupo inteiro, não só o processo.
	c.cmd.Cancel = func() error { killGroup(c.cmd); return nil }
	c.cmd.WaitDelay = 3 * time.Second
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	liveMu.Lock()
	live[c] = true
	liveMu.Unlock()
	go func() {
		c.wait = c.cmd.Wait()
		liveMu.Lock()
		delete(live, c)
		liveMu.Unlock()
		close(c.done)
	}()
	return c, nil
}

// killAll mata todo filho ainda vivo (saída do roteiro, inclusive por Ctrl-C).
func killAll() {
	liveMu.Lock()
	cs := make([]*child, 0, len(live))
	for c := range live {
		cs = append(cs, c)
	}
	liveMu.Unlock()
	for _, c := range cs {
		killGroup(c.cmd)
	}
	for _, c := range cs {
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
		}
	}
}

// Pid do filho.
func (c *child) Pid() int { return c.cmd.Process.Pid }

// exited diz se o processo já terminou.
func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// waitFor espera até que a saída combine com re, o processo termine ou o
// prazo acabe. Devolve as submatches.
func (c *child) waitFor(re *regexp.Regexp, timeout time.Duration) ([]string, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		text, changed := c.out.snapshot()
		if m := re.FindStringSubmatch(text); m != nil {
			return m, nil
		}
		select {
		case <-changed:
		case <-c.done:
			text := c.out.String()
			if m := re.FindStringSubmatch(text); m != nil {
				return m, nil
			}
			return nil, fmt.Errorf("%s terminou antes de imprimir a linha de início (%v): %s", c.name, c.wait, tail(text, 400))
		case <-deadline.C:
			return nil, fmt.Errorf("%s não imprimiu a linha de início em %v: %s", c.name, timeout, tail(c.out.String(), 400))
		}
	}
}

// stop pede o fim com SIGTERM (no Windows, Kill) e espera até bound; depois
// disso mata o grupo. Devolve o código de saída (-1 se morto à força).
func (c *child) stop(bound time.Duration) (exitCode int, forced bool) {
	if !c.exited() {
		terminate(c.cmd)
		select {
		case <-c.done:
		case <-time.After(bound):
			forced = true
			killGroup(c.cmd)
			<-c.done
		}
	}
	killGroup(c.cmd) // algum neto perdido no grupo? (não deveria haver)
	var ee *exec.ExitError
	switch {
	case c.wait == nil:
		return 0, forced
	case errors.As(c.wait, &ee):
		return ee.ExitCode(), forced
	}
	return -1, forced
}

// tail devolve o fim de s (para mensagens de erro).
func tail(s string, n int) string {
	s = string(bytes.TrimSpace([]byte(s)))
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

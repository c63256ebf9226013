package main

// Processos filhos: cada servidor e cada cliente roda como processo à parte,
// no seu próprio grupo de processos, com a saída guardada em memória. Todo
// filho nasce com um contexto: quando o contexto acaba (Ctrl-C, prazo da
// etapa estourado), o grupo inteiro do filho é morto, e um registro global
// garante que nenhum filho sobreviva ao roteiro mesmo numa saída antecipada.
//
// Um cuidado: o número de um processo (pid) volta a ficar livre quando o pai
// o "colhe" (wait). Depois disso, matar o grupo -pid poderia atingir outro
// programa que recebeu o mesmo número. Por isso todo sinal passa por
// signalGroup, que não faz nada depois que o filho foi colhido (gone). E
// gone precisa valer ANTES da colheita, não depois: entre as duas coisas
// um sinal ainda sairia (o próprio exec chama Cancel de dentro do Wait).
// Então o roteiro primeiro espera o fim SEM colher (waitExitNoReap: o filho
// fica zumbi e o número continua dele), mata o que sobrou no grupo, marca
// gone e só então colhe. Esperar sem colher é diferente em cada sistema:
// waitid com WNOWAIT no Linux, kqueue (EVFILT_PROC) no macOS e nos BSD,
// WaitForSingleObject no Windows.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"roteiro2/internal/outbuf"
)

// child é um processo filho em execução.
type child struct {
	name string
	cmd  *exec.Cmd
	out  *outbuf.Buffer // stdout e stderr juntos (servidores)
	err  *outbuf.Buffer // stderr separado (clientes: o RESUMO sai no stdout)
	done chan struct{}  // fechado quando o processo terminou e foi colhido
	wait error          // resultado de Wait, válido depois de done
	// stopErr: por que o pedido de parada não pôde ser enviado (nil = saiu).
	stopErr error

	mu   sync.Mutex
	gone bool // colhido (ou prestes a ser): nenhum sinal mais ao grupo
}

var (
	liveMu sync.Mutex
	live   = map[*child]bool{} // filhos ainda não colhidos
)

// startChild inicia bin com args. Com separateStderr, stderr vai para
// c.err; senão stdout e stderr vão juntos para c.out.
func startChild(ctx context.Context, name, bin string, args []string, separateStderr bool) (*child, error) {
	c := newChild(ctx, name, bin, args)
	if separateStderr {
		c.cmd.Stderr = c.err
	}
	return c, c.start()
}

// startChildEnv é startChild (saídas juntas) com variáveis de ambiente a mais.
func startChildEnv(ctx context.Context, name, bin string, args, env []string) (*child, error) {
	c := newChild(ctx, name, bin, args)
	c.cmd.Env = append(os.Environ(), env...)
	return c, c.start()
}

func newChild(ctx context.Context, name, bin string, args []string) *child {
	c := &child{name: name, out: &outbuf.Buffer{}, err: &outbuf.Buffer{}, done: make(chan struct{})}
	c.cmd = exec.CommandContext(ctx, bin, args...)
	c.cmd.Stdout = c.out
	c.cmd.Stderr = c.out
	setProcessGroup(c.cmd)
	// Contexto cancelado: mata o grupo inteiro, não só o processo. O exec
	// pode chamar Cancel depois de colher o filho; kill então não faz nada.
	c.cmd.Cancel = func() error { c.kill(); return nil }
	c.cmd.WaitDelay = 3 * time.Second
	return c
}

func (c *child) start() error {
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("%s: %w", c.name, err)
	}
	liveMu.Lock()
	live[c] = true
	liveMu.Unlock()
	go func() {
		if waitExitNoReap(c.cmd.Process.Pid) {
			// Terminou, mas ainda não foi colhido: o grupo ainda é dele.
			// Um neto esquecido no grupo morre agora, antes de o número
			// ficar livre.
			c.kill()
			c.mu.Lock()
			c.gone = true
			c.mu.Unlock()
		}
		// Sem esperar sem colher (um sistema que não sabe), gone só vale
		// depois do Wait, e a janela fica aberta.
		c.wait = reap(c.cmd)
		c.mu.Lock()
		c.gone = true
		c.mu.Unlock()
		liveMu.Lock()
		delete(live, c)
		liveMu.Unlock()
		close(c.done)
	}()
	return nil
}

// reap colhe o filho (cmd.Wait). É uma variável só para que um teste possa
// olhar o instante logo depois da colheita (child_test.go).
var reap = (*exec.Cmd).Wait

// killAll mata todo filho ainda vivo (saída do roteiro, inclusive por Ctrl-C).
func killAll() {
	liveMu.Lock()
	cs := make([]*child, 0, len(live))
	for c := range live {
		cs = append(cs, c)
	}
	liveMu.Unlock()
	for _, c := range cs {
		c.kill()
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

// stop pede o fim (SIGTERM; no Windows, CTRL_BREAK_EVENT) e espera até
// bound; depois disso mata o grupo. Devolve forced = true se foi preciso
// matar. Se o pedido nem saiu (só no Windows), mata na hora e guarda o
// motivo em stopErr.
func (c *child) stop(bound time.Duration) (forced bool) {
	if err := c.terminate(); err != nil {
		c.stopErr = err
		if c.exited() {
			return false
		}
		c.kill()
		<-c.done
		return true
	}
	t := time.NewTimer(bound)
	defer t.Stop()
	select {
	case <-c.done:
	case <-t.C:
		forced = true
		c.kill()
		<-c.done
	}
	return forced
}

// exitCode é o código de saída depois de done (-1 se morto por um sinal).
func (c *child) exitCode() int {
	if c.cmd.ProcessState == nil {
		return -1
	}
	return c.cmd.ProcessState.ExitCode()
}

// tail devolve o fim de s (para mensagens de erro).
func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

//go:build windows

package main

import (
	"os/exec"

	"golang.org/x/sys/windows"

	"roteiro2/internal/interrupt"
)

// No Windows não há sinais nem grupos de processos POSIX. O filho nasce num
// grupo de processos do console só dele, e o pedido de parada é o
// CTRL_BREAK_EVENT (internal/interrupt; sob o Wine, que não o entrega, um
// CTRL_C_EVENT por outro caminho): o runtime do Go de um servidor o entrega
// como os.Interrupt, e ele imprime o [RESUMO SERVIDOR] e sai com 0, como
// com o SIGTERM no Unix. Matar é Kill (TerminateProcess). O os.Process
// guarda um handle do processo: o pid não é reaproveitado enquanto ele
// existe, isto é, até o Wait.
func setProcessGroup(cmd *exec.Cmd) { interrupt.Prepare(cmd) }

// stopName é o pedido de parada, para as mensagens.
const stopName = "CTRL_BREAK_EVENT"

// terminate pede a parada (o evento vai ao grupo do filho, pelo número
// dele: nada depois de colhido). Um erro quer dizer que o pedido não saiu
// (o roteiro sem console, por exemplo): stop então mata o filho na hora.
func (c *child) terminate() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gone || exited(c.cmd.Process.Pid) {
		return nil
	}
	return interrupt.Send(c.cmd.Process.Pid)
}

// exited diz se o processo pid já terminou (e gone ainda não foi marcado):
// mandar o evento a um grupo que não existe mais o faria chegar a todos os
// processos do console, o próprio roteiro incluído.
func exited(pid int) bool {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, uint32(pid))
	if err != nil {
		return true
	}
	defer windows.CloseHandle(h)
	ev, err := windows.WaitForSingleObject(h, 0)
	return err == nil && ev == windows.WAIT_OBJECT_0
}

func (c *child) kill() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.gone {
		_ = c.cmd.Process.Kill()
	}
}

// killedByTerm diz se o filho terminou pela ação padrão do evento de
// parada, sem tratá-lo (STATUS_CONTROL_C_EXIT): é como um programa Python
// sai no Ctrl-Break, e não é uma falha.
func (c *child) killedByTerm() bool {
	return c.cmd.ProcessState != nil && interrupt.ExitedByInterrupt(c.cmd.ProcessState.ExitCode())
}

// waitExitNoReap espera o processo pid terminar sem colhê-lo: um handle
// próprio do processo (aberto enquanto o os.Process ainda guarda o dele,
// então o número ainda é do filho) e WaitForSingleObject. O Wait de verdade
// vem depois, e só então o número fica livre.
func waitExitNoReap(pid int) bool {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, uint32(pid))
	if err != nil {
		return false
	}
	defer windows.CloseHandle(h)
	ev, err := windows.WaitForSingleObject(h, windows.INFINITE)
	return err == nil && ev == windows.WAIT_OBJECT_0
}

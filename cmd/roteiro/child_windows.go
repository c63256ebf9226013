//go:build windows

package main

import "os/exec"

// No Windows não há grupos de processos POSIX nem SIGTERM: o filho é
// encerrado com Kill (TerminateProcess), e por isso os servidores não
// imprimem o [RESUMO SERVIDOR] (os números deles ficam n/d). O os.Process
// guarda um handle do processo: o pid não é reaproveitado enquanto ele existe.
func setProcessGroup(*exec.Cmd) {}

func (c *child) terminate() { c.kill() }

func (c *child) kill() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.gone {
		_ = c.cmd.Process.Kill()
	}
}

// killedByTerm: no Windows o roteiro para todo filho com Kill; o código de
// saída não diz nada (veja runStage).
func (c *child) killedByTerm() bool { return false }

func waitExitNoReap(int) bool { return false }

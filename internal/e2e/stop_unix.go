//go:build !windows

package e2e

import (
	"os"
	"os/exec"
	"syscall"
)

// stopName é como o pedido de parada se chama aqui (mensagens).
const stopName = "SIGTERM"

// prepare: no Unix o processo não precisa de nada antes do Start.
func prepare(*exec.Cmd) {}

// Terminate pede ao servidor que pare: SIGTERM, que os servidores tratam
// como o Ctrl-C (param de aceitar, terminam o que está em andamento e
// imprimem o [RESUMO SERVIDOR]).
func (s *Server) Terminate() error { return s.Cmd.Process.Signal(syscall.SIGTERM) }

// ctrlC é o Ctrl-C do terminal: SIGINT.
func (s *Server) ctrlC() error { return s.Cmd.Process.Signal(syscall.SIGINT) }

// endedByCtrlC diz se o processo terminou pela ação padrão do Ctrl-C, sem
// tratá-lo: morto pelo SIGINT.
func endedByCtrlC(ps *os.ProcessState) bool {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGINT
}

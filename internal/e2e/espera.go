package e2e

import "time"

// WaitExit espera o servidor terminar sozinho, sem mandar sinal nenhum: o
// teste já pediu a parada (Terminate) e quer vê-la até o fim (Stop
// mandaria outro, e um segundo sinal termina o servidor na hora). Devolve a
// saída, o código de saída (-1 se morto por sinal; veja Cmd.ProcessState) e
// false se o processo não terminou em timeout.
func (s *Server) WaitExit(timeout time.Duration) (output string, exitCode int, exited bool) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-s.done:
		return s.Output(), s.Cmd.ProcessState.ExitCode(), true
	case <-t.C:
		return s.Output(), -1, false
	}
}

//go:build windows

package main

import "os/exec"

// No Windows não há grupos de processos POSIX nem SIGTERM: o filho é
// encerrado com Kill (e por isso não imprime o [RESUMO SERVIDOR]).
func setProcessGroup(*exec.Cmd) {}

func terminate(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
